"""A user's calendar feed URLs: created (secret shown once), listed, revoked."""

from .routes import blp  # noqa: F401
