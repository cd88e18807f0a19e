"""The printable sign-in sheet of a class."""

from .routes import blp  # noqa: F401
