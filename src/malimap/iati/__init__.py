"""IATI activity files in: read streamed and safely (read), placed on Mali's units (places), turned into data-package rows
with a report per activity (rows), and kept as a package (keep)."""
