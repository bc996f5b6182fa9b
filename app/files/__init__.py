"""Uploaded files (scanned decisions, evidence), kept in the database (QUALITY.md S10)."""
