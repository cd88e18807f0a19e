"""Attendance: minutes per person and session of an offering."""

from .routes import blp  # noqa: F401
