"""Logbook forms."""


def add_errors(form, errors: list[tuple[str, str]], aliases: dict | None = None) -> None:
    """A service's (field, message) list, next to the fields of ``form``."""
    for name, message in errors:
        name = (aliases or {}).get(name, name)
        if name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            form.form_errors.append(message)
