"""Forms of the commendations area, one module per part (proposals, review, decisions...)."""

from wtforms import FieldList

from app.forms import show_error


def add_errors(form, errors: list[tuple[str, str]]) -> None:
    """A CommendationError's (field, message) list, each next to its field of ``form``: a row
    of a list of fields too ("recipients-2-amount_vnd"), under the form's own name for a field
    where it differs from the service's (``form.error_fields``); else above the form."""
    aliases = getattr(form, "error_fields", {})
    for name, message in errors:
        name = aliases.get(name, name)
        field = _row_field(form, name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            show_error(form, name, message)


def _row_field(form, name: str):
    """ "recipients-2-amount_vnd" → form.recipients[2].amount_vnd (None when not such a name)."""
    parts = (name or "").split("-")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    rows = form._fields.get(parts[0])
    index = int(parts[1])
    if not isinstance(rows, FieldList) or index >= len(rows):
        return None
    return rows[index].form._fields.get(parts[2])
