"""API users and their bearer tokens: created, changed, issued and revoked, audited."""

import secrets

from auth import TOKEN_PREFIX, hash_token
from database import in_write_transaction
from models import Agency, ApiToken, User, utcnow
from rules.errors import RuleViolation
from rules.users import assigned_agency, check_person_for_role, token_expiry

from . import audit


def _new_token(user, expires_in_days, label=None):
    """Store a new token's hash; return (token in clear, its row)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.create(
        user=user,
        token_hash=hash_token(token),
        prefix=token[:10],
        expires_at=token_expiry(utcnow(), expires_in_days),
        label=label,
    )
    return token, row


def _check_agency(agency_id):
    if agency_id is not None and not Agency.select().where(Agency.id == agency_id).exists():
        raise RuleViolation("Unknown agency.", {"agency_id": ["Unknown agency."]})


@in_write_transaction
def create_user(data, person, actor, *, expires_in_days=None, label=None):
    """Create a user (its agency derived from `person` when not given) and its first token.

    Returns (user, token in clear, token row); the token is never stored in clear.
    """
    role = data["role"]
    check_person_for_role(role, person is not None)
    agency_id = assigned_agency(
        role, data.get("agency_id"), person.agency_id if person is not None else None
    )
    _check_agency(agency_id)
    user = User.create(
        email=data["email"].strip().lower(),
        role=role,
        agency=agency_id,
        person=person.id if person is not None else None,
    )
    token, row = _new_token(user, expires_in_days, label)
    audit.created(actor, "user", user, agency_id=user.agency_id, token_expires_at=row.expires_at)
    return user, token, row


@in_write_transaction
def update_user(user, data, person, actor):
    """Change a user's role, person or active flag; `person` is the person it will have."""
    role = data.get("role", user.role)
    check_person_for_role(role, person is not None)
    assigned_agency(
        role, user.agency_id, person.agency_id if person is not None else None, "person_id"
    )
    return audit.change(actor, "update", "user", user, data, agency_id=user.agency_id)


@in_write_transaction
def issue_token(user, actor, *, expires_in_days=None, label=None, reason=None):
    """Issue a new token for `user` (the old ones stay valid); return (token, row)."""
    token, row = _new_token(user, expires_in_days, label)
    audit.record(
        actor,
        "issue_token",
        "user",
        user.id,
        after={"prefix": row.prefix, "expires_at": row.expires_at, "label": label},
        reason=reason,
        agency_id=user.agency_id,
    )
    return token, row


@in_write_transaction
def revoke_tokens(user, actor, *, label=None, reason=None):
    """Revoke every live token of `user` (only those issued with `label` if given)."""
    query = ApiToken.update(revoked_at=utcnow()).where(
        ApiToken.user == user, ApiToken.revoked_at.is_null()
    )
    if label is not None:
        query = query.where(ApiToken.label == label)
    revoked = query.execute()
    audit.record(
        actor,
        "revoke_tokens",
        "user",
        user.id,
        after={"revoked": revoked, "label": label},
        reason=reason,
        agency_id=user.agency_id,
    )
    return revoked
