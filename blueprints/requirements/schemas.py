"""Requirement schemas."""

import marshmallow as ma

from blueprints import contract
from blueprints.fields import Hours, Partial, RecordDate, Schema, UtcDateTime
from rules.compliance import KINDS

CATEGORY = ma.validate.Regexp(
    r"^[a-z][a-z0-9_]{0,59}$", error="Categories are lower_snake_case, e.g. state_post."
)


class RequirementSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    agency_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=255))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    hours = Hours(
        allow_none=True,
        load_default=None,
        metadata={**contract.HOURS, "description": "'hours': the hours due in each period."},
    )
    period_months = ma.fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "'hours': the length of a period (12: a year)."},
    )
    cycle_start = RecordDate(
        allow_none=True,
        load_default=None,
        metadata={
            **contract.RECORD_DATE,
            "description": "'hours': the first day of a period (default 2000-01-01).",
        },
    )
    category = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=CATEGORY,
        metadata={"description": "'hours': only this credit category's hours count."},
    )
    category_hours = ma.fields.Dict(
        keys=ma.fields.String(validate=CATEGORY),
        values=Hours(metadata=contract.HOURS),
        load_default=dict,
        metadata={
            "description": "'hours': minimum hours per credit category. " + contract.SNAKE_KEYS
        },
    )
    certification_id = ma.fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "'certification': the certification to keep valid."},
    )
    active = ma.fields.Boolean(load_default=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class RequirementUpdateSchema(Partial, RequirementSchema):
    """Only the fields sent change; the agency, kind and certification are fixed."""

    class Meta:
        exclude = ("agency_id", "kind", "certification_id")


class RequirementQuerySchema(Schema):
    agency_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(KINDS))
    active = ma.fields.Boolean()
