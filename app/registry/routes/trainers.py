"""Routes: trainers (being written)."""
