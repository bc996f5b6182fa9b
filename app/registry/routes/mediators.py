"""Routes: mediators (being written)."""
