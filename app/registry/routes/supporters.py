"""Routes: supporters (being written)."""
