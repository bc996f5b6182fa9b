"""Logbook forms."""
