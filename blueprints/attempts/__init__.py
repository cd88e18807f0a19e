"""Attempts: what closing concluded for each rostered person, credit earned or not."""

from .routes import blp  # noqa: F401
