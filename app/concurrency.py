"""Optimistic locking: the version an edit form was loaded with travels back with the save."""

from werkzeug.exceptions import Conflict

from app.extensions import db
from app.refusals import RuleError

STALE_MESSAGE = (
    "Dữ liệu này vừa được người khác sửa và lưu. Thay đổi của bạn chưa được lưu; "
    "hãy tải lại trang để xem bản mới nhất rồi sửa lại."
)


class StaleEdit(Conflict):
    """The record changed since the form was loaded (HTTP 409)."""

    description = STALE_MESSAGE


def check_version(obj, submitted: int | str | None) -> None:
    """Refuse the save when the form's version is not the record's current one."""
    try:
        submitted_version = int(submitted)
    except (TypeError, ValueError):
        raise StaleEdit() from None
    if submitted_version != obj.version:
        raise StaleEdit()


def save_edit(record, form, save, *, rule_error, show) -> int | None:
    """The save of every versioned edit form (QUALITY.md R3), in one place.

    First display: the record's version goes into the form, 200. An invalid form: 422. A
    stale version: 409, the other person's save kept. A rule the service refuses
    (``rule_error``): ``show(error)`` puts its message next to the field, 422. Otherwise
    ``save()`` has run, the request is committed and None tells the caller to redirect.
    """
    if not form.validate_on_submit():
        if form.is_submitted():
            return 422
        form.version.data = record.version
        return 200
    try:
        check_version(record, form.version.data)
        save()
    except StaleEdit as error:
        db.session.rollback()
        form.form_errors.append(error.description)
        return 409
    except rule_error as error:
        db.session.rollback()
        show(error)
        return 422
    db.session.commit()
    return None


def run_form(form, action, *, rule_error: type[Exception] = RuleError) -> tuple[object, int | None]:
    """Validate a posted form and run the service's ``action``: (what it returned, None) once
    committed; (None, 200) for a first display; (None, 422) for invalid input or a rule the
    service refused (``rule_error``, its messages next to their fields); (None, 409) when what
    the form was loaded with changed meanwhile (StaleEdit). Nothing is saved on a refusal."""
    from app.forms import add_errors

    if not form.validate_on_submit():
        return None, 422 if form.is_submitted() else 200
    try:
        done = action()
    except StaleEdit as error:
        db.session.rollback()
        form.form_errors.append(error.description)
        return None, 409
    except rule_error as error:
        db.session.rollback()
        add_errors(form, error.errors)
        return None, 422
    db.session.commit()
    return done, None


def save_versioned(record, form, save, *, rule_error: type[Exception] = RuleError) -> int | None:
    """save_edit for a form whose service refuses with ``rule_error`` (a list of (field,
    message) in ``errors``): None once saved, else the status to answer with."""
    from app.forms import add_errors

    return save_edit(
        record, form, save, rule_error=rule_error, show=lambda e: add_errors(form, e.errors)
    )


def lock_row(model, row_id: int) -> None:
    """Serialise the writers of one row (a contest, a round, a unit's book of serials): on
    PostgreSQL a second writer waits for the first one's commit; SQLite writes are serial
    already (BEGIN IMMEDIATE)."""
    from sqlalchemy import select

    db.session.execute(select(model.id).where(model.id == row_id).with_for_update())
