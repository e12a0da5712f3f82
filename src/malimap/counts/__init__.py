"""What the pages count: filters, coverage per unit, units by years, need gaps, funder and theme aggregates."""
