"""Registry forms, one module per kind of record."""
