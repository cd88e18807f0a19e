"""Attempt schemas."""

import marshmallow as ma

from blueprints.fields import Hours, QueryDateTime, Schema, UtcDateTime
from models import ATTEMPT_OUTCOMES


class AttemptSchema(Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person_name = ma.fields.Function(lambda attempt: attempt.person.full_name)
    offering_id = ma.fields.Integer()
    course_id = ma.fields.Integer()
    title = ma.fields.Function(lambda attempt: attempt.course.title)
    issuer_id = ma.fields.Integer(metadata={"description": "The host agency."})
    outcome = ma.fields.String(
        metadata={"description": "completed, partial, not_completed or withheld"}
    )
    hours_attended = Hours()
    hours_required = Hours()
    reasons = ma.fields.List(ma.fields.String())
    completion_id = ma.fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class AttemptQuerySchema(Schema):
    person_id = ma.fields.Integer()
    offering_id = ma.fields.Integer()
    outcome = ma.fields.String(validate=ma.validate.OneOf(ATTEMPT_OUTCOMES))
    changed_since = QueryDateTime(
        metadata={"description": "Only outcomes concluded or changed since then."}
    )
