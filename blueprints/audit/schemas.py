"""Audit schemas."""

import marshmallow as ma

from blueprints.fields import QueryDateTime, Schema, UtcDateTime


class AuditEntrySchema(Schema):
    id = ma.fields.Integer()
    at = UtcDateTime()
    user_id = ma.fields.Integer(allow_none=True)
    user_email = ma.fields.String(allow_none=True)
    action = ma.fields.String()
    entity = ma.fields.String()
    entity_id = ma.fields.String()
    agency_id = ma.fields.Integer(allow_none=True)
    before = ma.fields.Raw(allow_none=True)
    after = ma.fields.Raw(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class AuditQuerySchema(Schema):
    entity = ma.fields.String()
    entity_id = ma.fields.String()
    agency_id = ma.fields.Integer()
    user_id = ma.fields.Integer()
    since = QueryDateTime()
