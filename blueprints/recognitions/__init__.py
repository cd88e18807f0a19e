"""The recognition feed: congratulating partner agencies' people on what they earned."""

from .routes import blp  # noqa: F401
