"""Contest setup (issue 5, "Rules as data"): ``contests`` (the list, a contest's page, its
rules, status and prize table) and ``rounds`` (rounds and their parts). Every route loads,
then authorizes (app/contests/permissions.py), then acts; services flush, the route commits
once."""

from app.contests.routes.setup import contests, rounds  # noqa: F401 - they register the routes
