"""Routes: exports (being written)."""
