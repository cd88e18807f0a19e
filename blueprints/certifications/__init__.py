"""The catalog of certifications a course can award."""

from .routes import blp  # noqa: F401
