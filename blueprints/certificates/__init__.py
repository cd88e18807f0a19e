"""PDF certificates of completions and awards, one by one or a class at a time."""

from .routes import blp  # noqa: F401
