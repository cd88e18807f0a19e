"""People of any agency, with their regulator ids."""

from .routes import blp  # noqa: F401
