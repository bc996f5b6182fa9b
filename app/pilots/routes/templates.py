"""Pilots: templates (see app/pilots/__init__.py)."""

from app.pilots import bp  # noqa: F401
