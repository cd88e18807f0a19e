"""Configuration: defaults, then the environment, then the caller's override."""

import os

DEFAULTS = {
    "DATABASE_URL": "sqlite:///instance/muster.db",
    "SECRET_KEY": "dev-only-change-me",
    "API_TITLE": "Muster",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "https://cdn.jsdelivr.net/npm/swagger-ui-dist/",
    "JSON_SORT_KEYS": False,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
}

FROM_ENVIRONMENT = ("DATABASE_URL", "SECRET_KEY")


def load(override=None):
    """Return the merged configuration mapping."""
    config = dict(DEFAULTS)
    config.update({k: os.environ[k] for k in FROM_ENVIRONMENT if os.environ.get(k)})
    config.update(override or {})
    return config
