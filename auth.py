"""The caller of a request, read from its bearer token (operations/users.py issues them:
at random, shown once, stored hashed, optionally expiring)."""

import hashlib
import hmac

from flask import current_app, g, request

from api import abort
from models import ApiToken, User, utcnow
from operations.rate_limits import count_request
from statements import Slot, Statement

TOKEN_PREFIX = "mst_"
PUBLIC_BLUEPRINTS = ("api-docs.", "docs_assets.")
TOO_MANY_FAILURES = "Too many failed token checks from this address; try again later."


def hash_token(token):
    # Tokens carry 256 random bits, so a fast hash is as safe as a slow one here.
    return hashlib.sha256(token.encode()).hexdigest()


def is_public(endpoint):
    """True for the routes anyone may call: those documented with no security (health,
    verify), the OpenAPI document, its docs page and the docs page's assets."""
    if endpoint is None or endpoint.startswith(PUBLIC_BLUEPRINTS):
        return True
    view = current_app.view_functions.get(endpoint)
    name = "get" if request.method == "HEAD" else request.method.lower()
    method = getattr(getattr(view, "view_class", None), name, None)
    return getattr(method, "_apidoc", {}).get("manual_doc", {}).get("security") == []


def load_caller():
    """Resolve the Authorization header into g.user, before any body is read or parsed:
    a route that needs a token answers 401 without one, whatever was sent."""
    g.user = None
    header = request.headers.get("Authorization", "")
    if not header:
        if not is_public(request.endpoint):
            abort(401, message="This endpoint needs a bearer token.")
        return
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        failed_check(401, "Authorization must be 'Bearer <token>'.")
    user = find_user(token.strip())
    if user is None:
        failed_check(401, "Unknown, revoked, expired or inactive token.")
    g.user = user


# The caller's user and token row, read on every request: its SQL written once.
USER_OF_TOKEN = Statement(
    lambda: (
        User.select(User, ApiToken.token_hash)
        .join(ApiToken)
        .where(
            ApiToken.token_hash == Slot("digest"),
            ApiToken.revoked_at.is_null(),
            ApiToken.expires_at.is_null() | (ApiToken.expires_at > Slot("now")),
            User.active == True,
        )
        .objects()
        .limit(1)
    )
)


def find_user(token):
    """The active user whose live token this is, or None. Found by the token's SHA-256 (the
    database never holds a token, and the secret itself is never compared), the digests
    then compared in constant time."""
    digest = hash_token(token)
    found = USER_OF_TOKEN.first(digest=digest, now=utcnow())
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found


def failed_check(status, message):
    """Refuse a secret that does not work (a token; a calendar feed's or an unsubscribe
    link's secret) with `status`, counted against the caller's address in the database,
    so every worker shares the count; 429 with Retry-After once the address is past
    AUTH_FAILURE_LIMIT in the window. A working secret is never refused: with 256 random
    bits no guess succeeds, and one client stuck on an old token must not lock out
    everyone behind the same address. The message never repeats what was sent."""
    config = current_app.config
    wait = count_request(
        "auth",
        request.remote_addr or "unknown",
        config["AUTH_FAILURE_LIMIT"],
        config["AUTH_FAILURE_WINDOW"],
    )
    if wait is not None:
        abort(429, message=TOO_MANY_FAILURES, headers={"Retry-After": str(wait)})
    abort(status, message=message)


def current_user(*roles):
    """The authenticated caller; 401 if none, 403 if its role is not among `roles`."""
    user = g.get("user")
    if user is None:
        abort(401, message="This endpoint needs a bearer token.")
    if roles and user.role not in roles:
        abort(403, message=f"The {user.role} role may not do this.")
    return user
