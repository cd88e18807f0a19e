"""A home agency's records exported in the format its own system imports, and LRS pushes."""

from .routes import blp  # noqa: F401
