"""Registry routes, one module per kind of record."""
