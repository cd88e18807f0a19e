"""A person's transcript: completions, awards and hours by credit category."""

from .routes import blp  # noqa: F401
