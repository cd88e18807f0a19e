"""Calendar feed URLs: created with a random secret shown once, revoked, never deleted."""

import hashlib
import secrets

from database import in_write_transaction
from models import CalendarFeed, utcnow
from rules.errors import Conflict

from . import audit

SECRET_PREFIX = "cal_"


def hash_secret(secret):
    # 256 random bits: a fast hash is as safe as a slow one here.
    return hashlib.sha256(secret.encode()).hexdigest()


@in_write_transaction
def create_feed(user, kind, agency, actor):
    """A new feed of `kind` for `user` (of `agency` for an agency or host feed); returns
    (feed, secret). Only the secret's hash is stored."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.create(
        user=user.id,
        kind=kind,
        agency=agency.id if agency else None,
        secret_hash=hash_secret(secret),
    )
    audit.created(actor, "calendar_feed", feed, agency_id=feed.agency_id or user.agency_id)
    return feed, secret


@in_write_transaction
def revoke_feed(feed, actor):
    """Stop a feed: its URL answers 404 from now on."""
    if feed.revoked_at is not None:
        raise Conflict("This calendar feed is already revoked.")
    return audit.change(
        actor,
        "revoke",
        "calendar_feed",
        feed,
        {"revoked_at": utcnow()},
        agency_id=feed.agency_id or feed.user.agency_id,
    )
