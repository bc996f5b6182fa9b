"""Registry services. They flush; the route or command commits."""


class RegistryError(ValueError):
    """A rule of the registry was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
