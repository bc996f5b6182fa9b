"""Routes of the reports area (one module per part)."""
