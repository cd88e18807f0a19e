"""Self check-in to a class: its code, people's scans and the instructor's decisions."""

from .routes import blp  # noqa: F401
