"""Compliance with an agency's requirements, and certifications about to expire."""

from .routes import blp  # noqa: F401
