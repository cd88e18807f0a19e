"""Courses: hours, credit categories and the certifications they award."""

from .routes import blp  # noqa: F401
