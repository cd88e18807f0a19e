"""Notification settings of users and agencies, and the public unsubscribe link."""

from .routes import blp  # noqa: F401
