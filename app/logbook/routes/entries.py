"""entries (being written)."""
