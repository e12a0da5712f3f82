"""Boundaries and place names: the active boundary layers, the gazetteer, P-code vintages (v02/v03)."""
