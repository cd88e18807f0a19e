"""An agency's webhook endpoints: registered (secret shown once), changed, their delivery log."""

from .routes import blp  # noqa: F401
