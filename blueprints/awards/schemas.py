"""Award schemas."""
import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from rules.records import current_award_status


class AwardSchema(Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person_name = ma.fields.Function(lambda a: a.person.full_name)
    certification_id = ma.fields.Integer()
    certification_name = ma.fields.Function(lambda a: a.certification.name)
    offering_id = ma.fields.Integer(allow_none=True)
    completion_id = ma.fields.Integer(allow_none=True)
    renews_id = ma.fields.Integer(allow_none=True,
                                  metadata={"description": "The award this one renewed."})
    number = ma.fields.String()
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)
    verify_code = ma.fields.String()
    status = ma.fields.Function(current_award_status,
                                metadata={"description": "valid, expired or revoked, today."})
    revoked_at = UtcDateTime(allow_none=True)
    revoked_reason = ma.fields.String(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class AwardQuerySchema(Schema):
    person_id = ma.fields.Integer()
    offering_id = ma.fields.Integer()
    certification_id = ma.fields.Integer()
    status = ma.fields.String(validate=ma.validate.OneOf(("valid", "expired", "revoked")))
    changed_since = ma.fields.AwareDateTime()
