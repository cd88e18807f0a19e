"""API users, their roles and their tokens."""

from .routes import blp  # noqa: F401
