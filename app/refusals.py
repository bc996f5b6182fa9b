"""A service's refusal: the rules an action broke, each with the field it concerns.

Every area's services raise a subclass (ContestError, CommendationError) so that a route can
catch its own; ``app.concurrency.run_form`` shows any of them next to the form's fields."""


class RuleError(ValueError):
    """Rules broken by an action: ``errors`` is a list of (field, message in Vietnamese)."""

    def __init__(self, errors: list[tuple[str, str]] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = [(field or "", errors)]
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors
