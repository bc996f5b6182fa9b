"""remuneration (being written)."""
