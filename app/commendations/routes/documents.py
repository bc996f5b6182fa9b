"""Commendations: documents."""
