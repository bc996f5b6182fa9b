"""Commendations: review."""
