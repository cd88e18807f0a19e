"""Personnel import: a coordinator loads the agency's people from a CSV or XLSX file."""

from .routes import blp  # noqa: F401
