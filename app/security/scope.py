"""Unit-subtree scoping: the one place that decides which units a user may see.

Every query that lists objects tied to a unit goes through ``scope_to_user``; every object
loaded by id goes through ``require_in_scope``. Admins see everything; every other role sees
the subtree of their own unit.
"""

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import InstrumentedAttribute
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.units.models import UnitClosure


class OutOfScope(NotFound):
    """Answered as 404 (do not confirm that the object exists), logged as a refusal."""

    out_of_scope = True


def subtree_ids(unit_id: int) -> Select:
    """SELECT of the ids of a unit and all its descendants."""
    return select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)


def sees_everything(user) -> bool:
    return user.is_admin


def scope_to_user(stmt: Select, unit_column: InstrumentedAttribute, user) -> Select:
    """Restrict a SELECT to rows whose unit lies in the user's subtree."""
    if sees_everything(user):
        return stmt
    return stmt.where(unit_column.in_(subtree_ids(user.unit_id)))


def scope_placed(stmt: Select, model, user) -> Select:
    """Restrict a SELECT of a Placed model to the user's subtree, on one indexed column."""
    if sees_everything(user):
        return stmt
    return stmt.where(placed_under(model, user.unit))


def placed_under(model, unit):
    """Clause: the Placed row lies in the subtree of ``unit``."""
    from app.models import PLACED_COLUMNS

    return getattr(model, PLACED_COLUMNS[unit.level]) == unit.id


def placed_in_scope(user, obj) -> bool:
    """May this user see this Placed object? (No query: the ancestors are on the row.)"""
    from app.models import PLACED_COLUMNS

    if sees_everything(user):
        return True
    return getattr(obj, PLACED_COLUMNS[user.unit.level]) == user.unit_id


def require_placed_in_scope(user, obj) -> None:
    """404 when a Placed object lies outside the user's subtree."""
    if not placed_in_scope(user, obj):
        raise OutOfScope()


def is_within(unit_id: int | None, ancestor_id: int) -> bool:
    """True when unit_id is ancestor_id or lies below it."""
    if unit_id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    UnitClosure.ancestor_id == ancestor_id, UnitClosure.descendant_id == unit_id
                )
            )
        )
    )


def in_scope(user, unit_id: int | None) -> bool:
    """May this user see things that belong to this unit?"""
    return sees_everything(user) or is_within(unit_id, user.unit_id)


def require_in_scope(user, unit_id: int | None) -> None:
    """404 (not 403: do not confirm that the object exists) when outside the user's scope."""
    if not in_scope(user, unit_id):
        raise OutOfScope()


def load_placed(model, object_id: int, may=None):
    """Load → authorize a Placed record for the current user: 404 when it is missing or lies
    outside their subtree (logged as a refusal), 403 when ``may(user, record)`` says no."""
    from flask import abort
    from flask_login import current_user

    record = db.session.get(model, object_id)
    if record is None:
        abort(404)
    require_placed_in_scope(current_user, record)
    if may is not None and not may(current_user, record):
        abort(403)
    return record


def unit_in_view(raw: str | None):
    """The unit a page of counts is about: ``?unit=`` within the user's subtree (404 when
    unknown or outside it), else the user's own unit (None: the whole country, for admins)."""
    from flask import abort
    from flask_login import current_user

    from app.forms import parse_id
    from app.units.models import Unit

    if not raw:
        return None if sees_everything(current_user) else current_user.unit
    unit_id = parse_id(raw)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        abort(404)
    require_in_scope(current_user, unit.id)
    return unit


def openable_ancestors(path: list) -> list:
    """Of a unit's path from the top (the unit last), the ancestors the user may open: for
    the breadcrumb back up; the unit itself is not among them."""
    from flask_login import current_user

    above = path[:-1]
    if sees_everything(current_user):
        return above
    ids = [u.id for u in above]
    return above[ids.index(current_user.unit_id) :] if current_user.unit_id in ids else []
