"""Routes of the commendations area (one module per part)."""
