"""Outside training an officer submits for credit, and its review by the home agency."""

from .routes import blp  # noqa: F401
