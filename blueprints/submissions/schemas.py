"""Submission schemas."""

import marshmallow as ma
from flask_smorest.fields import Upload

from blueprints import contract
from blueprints.fields import Hours, RecordDate, Schema, UtcDateTime
from rules.submissions import STATUSES

CATEGORY = ma.validate.Regexp(
    r"^[a-z][a-z0-9_]{0,59}$", error="Categories are lower_snake_case, e.g. state_post."
)
TEXT = ma.validate.Length(min=1, max=255)
COMMENT = ma.validate.Length(max=2000)


class SubmissionCreditSchema(Schema):
    category = ma.fields.String(required=True, validate=CATEGORY)
    hours = Hours(required=True, metadata=contract.HOURS)


class SubmissionSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    person_id = ma.fields.Integer(
        load_default=None, metadata={"description": "Default: the caller's own person."}
    )
    person_name = ma.fields.Function(
        lambda s: s.person.full_name, dump_only=True, metadata={"type": "string"}
    )
    title = ma.fields.String(required=True, validate=TEXT)
    provider = ma.fields.String(
        required=True, validate=TEXT, metadata={"description": "Who gave the training."}
    )
    completed_on = RecordDate(
        required=True, metadata={**contract.RECORD_DATE, "description": "Not in the future."}
    )
    hours = Hours(
        required=True,
        validate=ma.validate.Range(min=0, min_inclusive=False, max=1000),
        metadata=contract.POSITIVE_HOURS_UNDER_1000,
    )
    credits = ma.fields.List(
        ma.fields.Nested(SubmissionCreditSchema),
        load_default=list,
        metadata={"description": "Each category once, within hours."},
    )
    status = ma.fields.String(dump_only=True, metadata={"enum": list(STATUSES)})
    comment = ma.fields.String(dump_only=True, allow_none=True)
    reviewed_by_id = ma.fields.Integer(dump_only=True, allow_none=True)
    reviewed_at = UtcDateTime(dump_only=True, allow_none=True)
    completion_id = ma.fields.Integer(dump_only=True, allow_none=True)
    has_evidence = ma.fields.Function(
        lambda s: s.evidence_size is not None, dump_only=True, metadata={"type": "boolean"}
    )
    evidence_name = ma.fields.String(dump_only=True, allow_none=True)
    evidence_type = ma.fields.String(dump_only=True, allow_none=True)
    evidence_size = ma.fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "Bytes."}
    )
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class SubmissionQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    person_id = ma.fields.Integer()
    agency_id = ma.fields.Integer(metadata={"description": "The person's agency."})


class ApproveSchema(Schema):
    comment = ma.fields.String(load_default=None, allow_none=True, validate=COMMENT)


class RejectSchema(Schema):
    comment = ma.fields.String(
        required=True, validate=COMMENT, metadata={"description": "Why: the person sees it."}
    )


class EvidenceSchema(Schema):
    file = Upload(required=True, metadata={"description": "A PDF, PNG or JPEG of at most 10 MB."})
