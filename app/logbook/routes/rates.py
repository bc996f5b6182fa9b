"""rates (being written)."""
