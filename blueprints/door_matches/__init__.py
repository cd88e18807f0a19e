"""Door matches: how other agencies' doors matched or created an agency's people."""

from .routes import blp  # noqa: F401
