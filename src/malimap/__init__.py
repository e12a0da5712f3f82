"""malimap: peacebuilding interventions in Mali, true to their sources."""

__version__ = "0.1.0"
