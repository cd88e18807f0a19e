"""The append-only audit trail."""

from .routes import blp  # noqa: F401
