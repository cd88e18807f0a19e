"""The append-only audit trail, and remembered responses for Idempotency-Key."""

from peewee import CharField, DateTimeField, IntegerField, JSONField, TextField

from .base import BaseModel, utcnow


class AuditEntry(BaseModel):
    at = DateTimeField(default=utcnow, index=True)
    user_id = IntegerField(null=True)
    user_email = CharField(null=True)
    action = CharField()
    entity = CharField()
    entity_id = CharField()
    agency_id = IntegerField(null=True, index=True)
    person_agency_id = IntegerField(null=True, index=True)
    before = JSONField(null=True)
    after = JSONField(null=True)
    reason = TextField(null=True)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


class IdempotencyRecord(BaseModel):
    user_id = IntegerField()
    key = CharField()
    method = CharField()
    path = CharField()
    fingerprint = CharField()
    status_code = IntegerField(null=True)  # null while the first request is being answered
    body = TextField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user_id", "key"), True),)
