"""The catalog of open classes an agency may join."""

from .routes import blp  # noqa: F401
