"""An offering's roster: who takes part, walk-ins of any agency included."""

from .routes import blp  # noqa: F401
