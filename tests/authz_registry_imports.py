"""Authorization-matrix rows of the registry's imports routes (see tests/authz.py)."""

from tests.authz import Route  # noqa: F401

ROUTES: list = []
