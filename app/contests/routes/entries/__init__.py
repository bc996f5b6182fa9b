"""Contest routes: entries (registration, correction, withdrawal) in ``registration``, and in
``running_order`` the order of a round drawn by lot and the entries that go through to a later
round. Every route loads, then authorizes (app/contests/permissions.py), then acts."""

from app.contests.routes.entries import registration, running_order  # noqa: F401 - the routes
