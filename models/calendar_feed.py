"""Calendar subscriptions: a user's iCalendar feed URLs, each with its own secret."""

from peewee import CharField, DateTimeField, ForeignKeyField

from .agency import Agency
from .base import TimestampedModel
from .user import User

FEED_KINDS = ("agency", "personal", "host")


class CalendarFeed(TimestampedModel):
    """One feed URL of a user; its secret is kept only as a hash, revoking stamps
    `revoked_at` (kept, never deleted)."""

    user = ForeignKeyField(User, backref="calendar_feeds")
    kind = CharField()
    agency = ForeignKeyField(Agency, null=True, backref="calendar_feeds")
    secret_hash = CharField(unique=True)
    revoked_at = DateTimeField(null=True)
