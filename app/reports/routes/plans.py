"""Reports: plans (see app/reports/__init__.py)."""

from app.reports import bp  # noqa: F401
