"""Awards: certifications earned, often through another agency's course."""

from .routes import blp  # noqa: F401
