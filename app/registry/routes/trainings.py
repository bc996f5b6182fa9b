"""Routes: trainings (being written)."""
