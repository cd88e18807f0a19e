"""Swagger UI's own files for the docs page, served from the package that ships them."""

from .routes import blp  # noqa: F401
