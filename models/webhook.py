"""Webhooks: the endpoints agencies register, and each try to deliver an event to one."""

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
from .base import BaseModel, TimestampedModel, utcnow
from .event import Delivery
from .user import User


class WebhookEndpoint(TimestampedModel):
    """A URL an agency's systems listen on for the kinds of events it chose. Its signing
    secret is kept sealed (never in clear, never in the audit trail); deactivating keeps
    the record, and the worker deactivates it after too many failures in a row."""

    agency = ForeignKeyField(Agency, backref="webhooks")
    url = TextField()
    description = CharField(null=True)
    events = JSONField(default=list)  # kinds subscribed to; ["*"]: every kind
    active = BooleanField(default=True)
    sealed_secret = TextField()  # {"current": ..., "previous": ..., "previous_until": ...}
    secret_rotated_at = DateTimeField(null=True)
    consecutive_failures = IntegerField(default=0)
    disabled_at = DateTimeField(null=True)  # set when the worker gave up on it
    disabled_reason = TextField(null=True)
    last_success_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+")


class WebhookAttempt(BaseModel):
    """One HTTP request made to deliver one event to one endpoint, and how it went."""

    delivery = ForeignKeyField(Delivery, backref="webhook_attempts")
    endpoint = ForeignKeyField(WebhookEndpoint, backref="attempts")
    attempted_at = DateTimeField(default=utcnow)
    succeeded = BooleanField(default=False)
    response_code = IntegerField(null=True)
    error = TextField(null=True)
    duration_ms = IntegerField(null=True)

    class Meta:
        indexes = ((("delivery", "attempted_at"), False),)
