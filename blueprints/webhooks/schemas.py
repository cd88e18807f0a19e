"""Webhook endpoint and delivery log schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from notifications.webhooks import SUBSCRIBABLE

EVENTS_HELP = (
    "The event types to deliver: the contract's types (`award.issued`, `award.revoked`, "
    "`award.expiring`, `completion.issued`, `completion.revoked`, `registration.changed`, "
    "`offering.changed`, `offering.cancelled`, `submission.reviewed`, `export.push_failed`, "
    "`webhook.disabled`), precise kinds (`registration.promoted`...), or `*` for all."
)


class WebhookCreateSchema(Schema):
    url = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=2000),
        metadata={
            "description": "Where deliveries are POSTed: `https` on a host that resolves to "
            "public addresses only (checked now and again at each delivery)."
        },
    )
    events = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(SUBSCRIBABLE)),
        required=True,
        validate=ma.validate.Length(min=1, max=len(SUBSCRIBABLE)),
        metadata={"description": EVENTS_HELP},
    )
    description = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Length(max=200),
        metadata={"description": "What listens there, for the agency's own reference."},
    )


class WebhookUpdateSchema(WebhookCreateSchema):
    url = ma.fields.String(validate=ma.validate.Length(max=2000))
    events = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(SUBSCRIBABLE)),
        validate=ma.validate.Length(min=1, max=len(SUBSCRIBABLE)),
        metadata={"description": EVENTS_HELP},
    )
    active = ma.fields.Boolean(
        metadata={
            "description": "false stops deliveries (the record and its log are kept); true "
            "turns the endpoint back on and clears its count of failures."
        }
    )


class WebhookSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    agency_id = ma.fields.Integer(dump_only=True)
    url = ma.fields.String(dump_only=True)
    events = ma.fields.List(ma.fields.String(), dump_only=True)
    description = ma.fields.String(dump_only=True, allow_none=True)
    active = ma.fields.Boolean(dump_only=True)
    consecutive_failures = ma.fields.Integer(
        dump_only=True, metadata={"description": "Failed tries in a row since the last success."}
    )
    disabled_at = UtcDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When the server disabled it after too many failures."},
    )
    disabled_reason = ma.fields.String(dump_only=True, allow_none=True)
    last_success_at = UtcDateTime(dump_only=True, allow_none=True)
    secret_rotated_at = UtcDateTime(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class WebhookSecretSchema(WebhookSchema):
    secret = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "The signing secret (`whsec_` + base64 of the key): shown this "
            "once only; the server keeps it encrypted to sign deliveries."
        },
    )


class WebhookAttemptSchema(Schema):
    attempted_at = UtcDateTime(dump_only=True)
    succeeded = ma.fields.Boolean(dump_only=True)
    response_code = ma.fields.Integer(dump_only=True, allow_none=True)
    error = ma.fields.String(dump_only=True, allow_none=True)
    duration_ms = ma.fields.Integer(dump_only=True, allow_none=True)


class WebhookDeliverySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    event_id = ma.fields.Integer(dump_only=True)
    type = ma.fields.String(dump_only=True)
    kind = ma.fields.String(dump_only=True)
    status = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "`pending` (waiting for its next try), `sent`, `failed` (given up) "
            "or `skipped` (the endpoint was off when its turn came)."
        },
    )
    attempts = ma.fields.Integer(dump_only=True)
    last_error = ma.fields.String(dump_only=True, allow_none=True)
    response_code = ma.fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "Of the last try."}
    )
    created_at = UtcDateTime(dump_only=True)
    next_attempt_at = UtcDateTime(dump_only=True, allow_none=True)
    last_attempt_at = UtcDateTime(dump_only=True, allow_none=True)
    sent_at = UtcDateTime(dump_only=True, allow_none=True)
    tries = ma.fields.List(
        ma.fields.Nested(WebhookAttemptSchema),
        dump_only=True,
        metadata={"description": "Every HTTP request made for this delivery, oldest first."},
    )


class WebhookDeliveryQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(("pending", "sent", "failed", "skipped")))
