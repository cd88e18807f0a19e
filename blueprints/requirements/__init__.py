"""An agency's compliance requirements: hours per period, certifications kept valid."""

from .routes import blp  # noqa: F401
