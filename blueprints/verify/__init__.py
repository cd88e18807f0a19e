"""Public verification of a certificate by its code."""

from .routes import blp  # noqa: F401
