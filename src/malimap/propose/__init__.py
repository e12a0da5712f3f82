"""Assisted curation: candidate records proposed from an article's text, each fact with a quote cut from that text."""
