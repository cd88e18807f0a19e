"""HTTP only: one package per resource, each translating requests to rules and models."""

import importlib
import pkgutil


def all_blueprints():
    """Every resource package's `blp`, health first, the rest by name."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg)
    names.sort(key=lambda name: name != "health")
    return [importlib.import_module(f"{__name__}.{name}").blp for name in names]
