"""The iCalendar feeds calendar apps subscribe to, by a secret URL."""

from .routes import blp  # noqa: F401
