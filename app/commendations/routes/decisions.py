"""Commendations: decisions."""
