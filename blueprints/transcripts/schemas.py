"""Transcript schemas."""

import marshmallow as ma

from blueprints.awards.schemas import AwardSchema
from blueprints.completions.schemas import CompletionSchema
from blueprints.fields import Hours, Schema, UtcDateTime


class TranscriptQuerySchema(Schema):
    from_ = ma.fields.Date(data_key="from", metadata={"description": "First day, inclusive."})
    to = ma.fields.Date(metadata={"description": "Last day, inclusive; not before `from`."})

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


class TranscriptAttemptSchema(Schema):
    """What a close concluded for the person: an outcome, never credit by itself."""

    id = ma.fields.Integer()
    offering_id = ma.fields.Integer()
    course_id = ma.fields.Integer()
    title = ma.fields.String()
    issuer_id = ma.fields.Integer(metadata={"description": "The host agency."})
    issuer_name = ma.fields.String()
    ended_on = ma.fields.Date(
        metadata={"description": "The class's last day, where the host agency is."}
    )
    outcome = ma.fields.String(
        metadata={"description": "completed, partial, not_completed or withheld"}
    )
    hours_attended = Hours()
    hours_required = Hours()
    reasons = ma.fields.List(ma.fields.String())
    completion_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The completion it earned, if any."}
    )
    counts_as_credit = ma.fields.Constant(
        False, metadata={"description": "Always false: credit is in completions."}
    )
    updated_at = UtcDateTime()


class TranscriptSchema(Schema):
    person = ma.fields.Nested(TranscriptPersonSchema)
    from_ = ma.fields.Date(data_key="from", allow_none=True)
    to = ma.fields.Date(allow_none=True)
    completions = ma.fields.List(ma.fields.Nested(CompletionSchema))
    awards = ma.fields.List(ma.fields.Nested(AwardSchema))
    attempts = ma.fields.List(
        ma.fields.Nested(TranscriptAttemptSchema),
        metadata={"description": "Outcomes of the classes attended, by their last day."},
    )
    hours_total = Hours(metadata={"description": "Valid completions only."})
    hours_by_category = ma.fields.Dict(keys=ma.fields.String(), values=Hours())
