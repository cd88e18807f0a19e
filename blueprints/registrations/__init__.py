"""Registrations for open classes by the home agency: seats, waitlist, approval."""

from .routes import blp  # noqa: F401
