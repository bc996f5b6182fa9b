"""Contest services: they flush, the request (or the command) commits."""


class ContestError(ValueError):
    """Rules broken by an action: ``errors`` is a list of (field, message in Vietnamese)."""

    def __init__(self, errors: list[tuple[str, str]] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = [(field or "", errors)]
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors
