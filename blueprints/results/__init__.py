"""Pass/fail results and scores of an offering."""

from .routes import blp  # noqa: F401
