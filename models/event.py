"""The transactional outbox: events recorded with the change, deliveries made by the worker."""

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    JSONField,
    TextField,
)

from .agency import Agency
from .base import BaseModel, utcnow
from .offering import Offering
from .person import Person
from .user import User

EVENT_KINDS = (
    "award.issued",
    "award.revoked",
    "completion.issued",
    "completion.revoked",
    "registration.pending",
    "registration.confirmed",
    "registration.waitlisted",
    "registration.promoted",
    "registration.declined",
    "registration.cancelled",
    "offering.changed",
    "offering.cancelled",
    "submission.approved",
    "submission.rejected",
    "certification.expiring",
    "export.push_failed",
    "webhook.disabled",
)
DELIVERY_STATUSES = ("pending", "sent", "failed", "skipped")
DELIVERY_MODES = ("immediate", "digest")


class Event(BaseModel):
    """A change that matters, recorded in the transaction that made it."""

    kind = CharField(index=True)
    payload = JSONField(default=dict)  # ids and facts every recipient may see
    agency_ids = JSONField(default=list)  # the agencies concerned: home, host
    person = ForeignKeyField(Person, null=True, backref="events")
    offering = ForeignKeyField(Offering, null=True, backref="events")
    # set for events that must happen once only (an expiry alert per award and offset)
    key = CharField(null=True, unique=True)
    created_at = DateTimeField(default=utcnow)
    fanned_out_at = DateTimeField(null=True, index=True)


class Delivery(BaseModel):
    """One event to one recipient over one channel; the unique key makes it happen once."""

    event = ForeignKeyField(Event, backref="deliveries")
    channel = CharField()  # 'email' | 'webhook'
    recipient = CharField()  # 'user:12' | 'webhook:3'
    status = CharField(default="pending")
    digest = BooleanField(default=False)  # sent with others in the recipient's daily digest
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow)
    claimed_until = DateTimeField(null=True)
    claimed_by = CharField(null=True)
    last_error = TextField(null=True)
    sent_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("event", "channel", "recipient"), True),
            (("status", "next_attempt_at"), False),
        )


class NotificationSetting(BaseModel):
    """What a user hears by e-mail: on or off, at once or in a daily digest, which kinds."""

    user = ForeignKeyField(User, unique=True, backref="notification_settings")
    email = BooleanField(default=True)
    mode = CharField(null=True)  # None: the role's default (coordinators: digest)
    muted_kinds = JSONField(default=list)
    updated_at = DateTimeField(default=utcnow)


class AgencyNotificationSetting(BaseModel):
    """An agency's notice settings: the days before expiry its people are alerted."""

    agency = ForeignKeyField(Agency, unique=True, backref="notification_settings")
    expiry_offsets = JSONField(null=True)  # None: the default, 90, 30, 7 and 0 days
    updated_at = DateTimeField(default=utcnow)
