"""The export formats the server can write, with their options and presets."""

from .routes import blp  # noqa: F401
