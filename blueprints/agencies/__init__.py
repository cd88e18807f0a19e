"""Agencies: who hosts, who sends people, what timezone their dates are in."""

from .routes import blp  # noqa: F401
