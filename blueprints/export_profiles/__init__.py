"""Each home agency's export profile: the format it imports and how."""

from .routes import blp  # noqa: F401
