"""Logbook forms."""

from app.forms import show_error


def add_errors(form, errors: list[tuple[str, str]], aliases: dict | None = None) -> None:
    """A service's (field, message) list, next to the fields of ``form``."""
    for name, message in errors:
        show_error(form, (aliases or {}).get(name, name), message)
