"""Completion schemas."""

import marshmallow as ma

from blueprints.courses.schemas import CreditSchema
from blueprints.fields import Hours, QueryDateTime, Schema, UtcDateTime
from rules.records import completion_status


class IssuedRecordSchema(Schema):
    """What completions and awards share: whose, from which offering, how to verify it."""

    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person_name = ma.fields.Function(lambda record: record.person.full_name)
    offering_id = ma.fields.Integer(allow_none=True)
    verify_code = ma.fields.String()
    revoked_at = UtcDateTime(allow_none=True)
    revoked_reason = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class IssuedRecordQuerySchema(Schema):
    person_id = ma.fields.Integer()
    offering_id = ma.fields.Integer()
    changed_since = QueryDateTime(
        metadata={"description": "Only records issued or changed (revoked) since then."}
    )


class CompletionSchema(IssuedRecordSchema):
    course_id = ma.fields.Integer(allow_none=True)
    issuer_id = ma.fields.Integer(allow_none=True)
    title = ma.fields.String()
    provider = ma.fields.String(allow_none=True)
    hours = Hours()
    credits = ma.fields.List(ma.fields.Nested(CreditSchema))
    completed_on = ma.fields.Date()
    partial = ma.fields.Boolean()
    external = ma.fields.Boolean()
    passed = ma.fields.Boolean(allow_none=True)
    score = ma.fields.Decimal(places=2, as_string=True, allow_none=True)
    status = ma.fields.Function(completion_status)


class CompletionQuerySchema(IssuedRecordQuerySchema):
    status = ma.fields.String(validate=ma.validate.OneOf(("valid", "revoked")))
