"""Bearer tokens: issued at random, shown once, stored hashed; the caller of a request."""

import hashlib
import secrets

from flask import g, request

from api import abort
from models import ApiToken, User, utcnow

TOKEN_PREFIX = "mst_"


def hash_token(token):
    # Tokens carry 256 random bits, so a fast hash is as safe as a slow one here.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user):
    """Create a new token for a user and return it in clear (the only time it is seen)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.create(user=user, token_hash=hash_token(token), prefix=token[:10])
    return token


def revoke_tokens(user):
    """Revoke every live token of a user; return how many."""
    return (
        ApiToken.update(revoked_at=utcnow())
        .where(ApiToken.user == user, ApiToken.revoked_at.is_null())
        .execute()
    )


def load_caller():
    """Resolve the Authorization header into g.user (None when absent)."""
    g.user = None
    header = request.headers.get("Authorization", "")
    if not header:
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
            User.active == True,
        )  # noqa: E712
        .first()
    )
    if user is None:
        abort(401, message="Unknown, revoked or inactive token.")
    g.user = user


def current_user(*roles):
    """The authenticated caller; 401 if none, 403 if its role is not among `roles`."""
    user = g.get("user")
    if user is None:
        abort(401, message="This endpoint needs a bearer token.")
    if roles and user.role not in roles:
        abort(403, message=f"The {user.role} role may not do this.")
    return user
