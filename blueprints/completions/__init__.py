"""Completions: a person finished a course (or outside training was approved)."""

from .routes import blp  # noqa: F401
