"""Closing an offering (issuing its records) and reopening it."""

from .routes import blp  # noqa: F401
