"""Award schemas."""

import marshmallow as ma

from blueprints.completions.schemas import IssuedRecordQuerySchema, IssuedRecordSchema
from rules.records import current_award_status


class AwardSchema(IssuedRecordSchema):
    certification_id = ma.fields.Integer()
    certification_name = ma.fields.Function(lambda a: a.certification.name)
    completion_id = ma.fields.Integer(allow_none=True)
    renews_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The award this one renewed."}
    )
    number = ma.fields.String()
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)
    status = ma.fields.Function(
        current_award_status, metadata={"description": "valid, expired or revoked, today."}
    )


class AwardQuerySchema(IssuedRecordQuerySchema):
    certification_id = ma.fields.Integer()
    status = ma.fields.String(validate=ma.validate.OneOf(("valid", "expired", "revoked")))
