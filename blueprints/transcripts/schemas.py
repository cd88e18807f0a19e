"""Transcript schemas."""

import marshmallow as ma

from blueprints.awards.schemas import AwardSchema
from blueprints.completions.schemas import CompletionSchema
from blueprints.fields import Hours, Schema


class TranscriptQuerySchema(Schema):
    from_ = ma.fields.Date(data_key="from", metadata={"description": "First day, inclusive."})
    to = ma.fields.Date(metadata={"description": "Last day, inclusive."})

    @ma.validates_schema
    def check_window(self, data, **kwargs):
        if "from_" in data and "to" in data and data["to"] < data["from_"]:
            raise ma.ValidationError("Must not be before 'from'.", "to")


class TranscriptPersonSchema(Schema):
    id = ma.fields.Integer()
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.Function(lambda p: p.agency.name)
    employee_id = ma.fields.String(allow_none=True)
    external_ids = ma.fields.Dict()


class TranscriptSchema(Schema):
    person = ma.fields.Nested(TranscriptPersonSchema)
    from_ = ma.fields.Date(data_key="from", allow_none=True)
    to = ma.fields.Date(allow_none=True)
    completions = ma.fields.List(ma.fields.Nested(CompletionSchema))
    awards = ma.fields.List(ma.fields.Nested(AwardSchema))
    hours_total = Hours(metadata={"description": "Valid completions only."})
    hours_by_category = ma.fields.Dict(keys=ma.fields.String(), values=Hours())
