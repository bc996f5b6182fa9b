"""books (being written)."""
