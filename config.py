"""Configuration: defaults, then the environment, then the caller's override."""

import os
import re

DEFAULTS = {
    "DATABASE_URL": "sqlite:///instance/muster.db",
    # On PostgreSQL the hot fixed-shape queries (statements.py) are prepared once per
    # connection. A pooler that hands one session's statements to another (pgbouncer in
    # transaction mode) cannot keep them: turn this off behind one.
    "DATABASE_PREPARED_STATEMENTS": True,
    "SECRET_KEY": "dev-only-change-me",
    "API_TITLE": "Muster",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    # Served by blueprints/docs_assets from the swagger-ui-bundle package: no CDN, so the
    # docs page works on networks with no way out.
    "OPENAPI_SWAGGER_UI_URL": "/docs-assets/swagger-ui/",
    # Swagger UI otherwise asks validator.swagger.io for a badge from the reader's browser.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
    "JSON_SORT_KEYS": False,
    # The most bytes any request may send (uploads; each upload route checks its own file
    # limit below this). A JSON body may be MAX_JSON_BODY bytes, or MAX_BULK_JSON_BODY on
    # the batch routes (attendance, results; limits.BULK_ROUTES).
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "MAX_JSON_BODY": 256 * 1024,
    "MAX_BULK_JSON_BODY": 8 * 1024 * 1024,
    # Days a new token lives unless the request says otherwise; None: until revoked.
    "TOKEN_DEFAULT_DAYS": None,
    # Public verify requests per client address per window (seconds), counted in the
    # database so every worker shares them; generous for people, slow for enumeration.
    "VERIFY_RATE_LIMIT": 120,
    "VERIFY_RATE_WINDOW": 600,
    # Failed token checks (unknown, revoked, expired) per client address per window
    # (seconds), counted in the database like the verify limit; past it, its failed checks
    # answer 429 with Retry-After until the window ends (a working token still works).
    # 0: no limit.
    "AUTH_FAILURE_LIMIT": 30,
    "AUTH_FAILURE_WINDOW": 600,
    # Browser origins (scheme://host[:port], comma-separated) whose scripts may call the API
    # (CORS); empty: none, so no Access-Control-Allow-Origin is ever sent. "*": any.
    "CORS_ORIGINS": "",
    # Reverse proxies in front of the server whose X-Forwarded-For/-Proto/-Host to trust
    # (0: none), so per-address limits see clients, not the proxy.
    "PROXY_COUNT": 0,
    # Where the public reaches this server: the base of the verify URL a certificate's QR
    # code carries. Configured, never taken from a request's Host header, which the
    # caller chooses.
    "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
    # Notices by e-mail: with no SMTP_HOST, messages are written to MAIL_OUTBOX (default
    # instance/outbox/*.eml) for a developer to read, and the server says so at start.
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_TLS": "none",  # none | starttls | ssl
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "MAIL_FROM": "Muster <muster@localhost>",
    "MAIL_OUTBOX": None,
    # Webhooks: only https URLs whose host resolves to public addresses, so the server
    # cannot be aimed at internal networks (SSRF). Tests on 127.0.0.1 allow both.
    "WEBHOOKS_ALLOW_PRIVATE": False,
    "WEBHOOKS_ALLOW_HTTP": False,
    "WEBHOOKS_TIMEOUT": 10,  # seconds for one delivery: connect, send, read the status
    "WEBHOOKS_DISABLE_AFTER": 10,  # failed tries in a row before an endpoint is disabled
    # Seconds before a failed notice (e-mail or webhook) is tried again, doubled each time.
    "NOTIFY_RETRY_BASE_SECONDS": 60,
}

FROM_ENVIRONMENT = (
    "DATABASE_URL",
    "DATABASE_PREPARED_STATEMENTS",
    "SECRET_KEY",
    "TOKEN_DEFAULT_DAYS",
    "VERIFY_RATE_LIMIT",
    "VERIFY_RATE_WINDOW",
    "AUTH_FAILURE_LIMIT",
    "AUTH_FAILURE_WINDOW",
    "CORS_ORIGINS",
    "PROXY_COUNT",
    "PUBLIC_BASE_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_TLS",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "MAIL_FROM",
    "MAIL_OUTBOX",
    "WEBHOOKS_ALLOW_PRIVATE",
    "WEBHOOKS_ALLOW_HTTP",
    "WEBHOOKS_TIMEOUT",
    "WEBHOOKS_DISABLE_AFTER",
    "NOTIFY_RETRY_BASE_SECONDS",
    "MAX_JSON_BODY",
    "MAX_BULK_JSON_BODY",
)
SMTP_TLS_MODES = ("none", "starttls", "ssl")
NEVER = ("", "none", "null", "never")
YES, NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def flag(name, value):
    """A yes/no setting as the environment gives it (1/0, true/false, yes/no, on/off)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES or text in NO:
        return text in YES
    raise ValueError(f"{name}: {value!r} is not 1/0, true/false, yes/no or on/off")


def whole(name, value, low, high):
    """A whole number setting within [low, high]."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise ValueError(f"{name}: {number} is not {low} to {high}")
    return number


def token_days(value):
    """TOKEN_DEFAULT_DAYS as the environment gives it: a whole number of days, or never."""
    if value is None or str(value).strip().lower() in NEVER:
        return None
    return whole("TOKEN_DEFAULT_DAYS", value, 1, 3650)


def origins(value):
    """CORS_ORIGINS as a tuple of lower-case origins, from a comma-separated string or a list."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    found = tuple(item.strip().rstrip("/").lower() for item in items if item.strip())
    for origin in found:
        if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ValueError(f"CORS_ORIGINS: {origin!r} is not scheme://host[:port] or *")
    return found


def load(override=None):
    """Return the merged configuration mapping."""
    config = dict(DEFAULTS)
    config.update({k: os.environ[k] for k in FROM_ENVIRONMENT if os.environ.get(k)})
    config.update(override or {})
    config["TOKEN_DEFAULT_DAYS"] = token_days(config["TOKEN_DEFAULT_DAYS"])
    config["SMTP_TLS"] = str(config["SMTP_TLS"] or "none").strip().lower()
    if config["SMTP_TLS"] not in SMTP_TLS_MODES:
        raise ValueError(f"SMTP_TLS: {config['SMTP_TLS']!r} is not none, starttls or ssl")
    config["SMTP_PORT"] = whole("SMTP_PORT", config["SMTP_PORT"], 1, 65535)
    for name in ("DATABASE_PREPARED_STATEMENTS", "WEBHOOKS_ALLOW_PRIVATE", "WEBHOOKS_ALLOW_HTTP"):
        config[name] = flag(name, config[name])
    config["WEBHOOKS_TIMEOUT"] = whole("WEBHOOKS_TIMEOUT", config["WEBHOOKS_TIMEOUT"], 1, 60)
    limit = config["WEBHOOKS_DISABLE_AFTER"]
    config["WEBHOOKS_DISABLE_AFTER"] = whole("WEBHOOKS_DISABLE_AFTER", limit, 1, 1000)
    base = config["NOTIFY_RETRY_BASE_SECONDS"]
    config["NOTIFY_RETRY_BASE_SECONDS"] = whole("NOTIFY_RETRY_BASE_SECONDS", base, 1, 86400)
    for name, high in (("VERIFY_RATE_LIMIT", 10**6), ("VERIFY_RATE_WINDOW", 86400)):
        config[name] = whole(name, config[name], 0, high)  # 0: no limit
    for name, high in (("AUTH_FAILURE_LIMIT", 10**6), ("AUTH_FAILURE_WINDOW", 86400)):
        config[name] = whole(name, config[name], 0, high)  # 0: no limit
    config["CORS_ORIGINS"] = origins(config["CORS_ORIGINS"])
    config["PROXY_COUNT"] = whole("PROXY_COUNT", config["PROXY_COUNT"], 0, 10)
    most = config["MAX_CONTENT_LENGTH"]
    for name in ("MAX_JSON_BODY", "MAX_BULK_JSON_BODY"):
        config[name] = whole(name, config[name], 1024, most)
    return config
