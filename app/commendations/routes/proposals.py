"""Commendations: proposals."""
