"""Routes: teams (being written)."""
