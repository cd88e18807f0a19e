"""Offerings: a course given by a host agency, in sessions, by instructors of any agency."""

from .routes import blp  # noqa: F401
