"""Logbook routes: cases, a team's book and its print, success rates, remuneration."""

from app.logbook import permissions
from app.security.scope import load_placed


def load(model, object_id: int, keep: bool = False):
    """A team, case or payment the user reads (or, with ``keep``, keeps): 404 outside their
    subtree, 403 without the right."""
    return load_placed(model, object_id, permissions.can_keep if keep else permissions.can_view)
