"""Liveness of the API and its database."""

from .routes import blp  # noqa: F401
