"""Partner agencies: the mutual-aid neighbours an agency opens its `partners` classes to."""

from .routes import blp  # noqa: F401
