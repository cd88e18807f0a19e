"""The logo an agency prints on the certificates of the classes it hosts."""

from .routes import blp  # noqa: F401
