"""The caller of a request, read from its bearer token (operations/users.py issues them:
at random, shown once, stored hashed, optionally expiring)."""

import hashlib

from flask import current_app, g, request

from api import abort
from models import ApiToken, User, utcnow

TOKEN_PREFIX = "mst_"
PUBLIC_BLUEPRINTS = ("api-docs.", "docs_assets.")


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
        abort(401, message="Authorization must be 'Bearer <token>'.")
    user = (
        User.select()
        .join(ApiToken)
        .where(
            ApiToken.token_hash == hash_token(token.strip()),
            ApiToken.revoked_at.is_null(),
            ApiToken.expires_at.is_null() | (ApiToken.expires_at > utcnow()),
            User.active == True,
        )
        .first()
    )
    if user is None:
        abort(401, message="Unknown, revoked, expired or inactive token.")
    g.user = user


def current_user(*roles):
    """The authenticated caller; 401 if none, 403 if its role is not among `roles`."""
    user = g.get("user")
    if user is None:
        abort(401, message="This endpoint needs a bearer token.")
    if roles and user.role not in roles:
        abort(403, message=f"The {user.role} role may not do this.")
    return user
