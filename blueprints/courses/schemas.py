"""Course schemas."""

import marshmallow as ma

from blueprints import contract
from blueprints.fields import Hours, Partial, Schema, UtcDateTime
from models import COURSE_KINDS

CATEGORY = ma.validate.Regexp(
    r"^[a-z][a-z0-9_]{0,59}$", error="Categories are lower_snake_case, e.g. state_post."
)


class CreditSchema(Schema):
    category = ma.fields.String(required=True, validate=CATEGORY)
    hours = Hours(required=True, metadata=contract.HOURS)


class CourseAwardSchema(Schema):
    certification_id = ma.fields.Integer(required=True)
    min_hours = Hours(
        allow_none=True,
        load_default=None,
        metadata={**contract.HOURS, "description": "Null: the course's required hours."},
    )
    requires_pass = ma.fields.Boolean(load_default=False)


class CourseSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=255))
    description = ma.fields.String(load_default="")
    host_agency_id = ma.fields.Integer(required=True)
    kind = ma.fields.String(load_default="class", validate=ma.validate.OneOf(COURSE_KINDS))
    hours = Hours(
        required=True,
        validate=ma.validate.Range(min=0, min_inclusive=False, max=10000),
        metadata=contract.POSITIVE_HOURS,
    )
    external_ids = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(), load_default=dict
    )
    min_attendance_pct = ma.fields.Decimal(
        load_default=100,
        places=2,
        as_string=True,
        validate=ma.validate.Range(min=0, max=100),
        metadata={
            **contract.PERCENT,
            "description": "Share of the course hours a person must attend.",
        },
    )
    requires_pass = ma.fields.Boolean(load_default=False)
    allows_partial = ma.fields.Boolean(load_default=False)
    credits = ma.fields.List(ma.fields.Nested(CreditSchema), load_default=list)
    awards = ma.fields.List(ma.fields.Nested(CourseAwardSchema), load_default=list)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)

    @ma.validates_schema
    def check_credits_and_awards(self, data, **kwargs):
        errors = {}
        categories = [credit["category"] for credit in data.get("credits", [])]
        for index, credit in enumerate(data.get("credits", [])):
            if categories.count(credit["category"]) > 1:
                errors.setdefault("credits", {})[index] = {"category": ["Listed twice."]}
        ids = [award["certification_id"] for award in data.get("awards", [])]
        for index, certification_id in enumerate(ids):
            if ids.count(certification_id) > 1:
                errors.setdefault("awards", {})[index] = {"certification_id": ["Listed twice."]}
        if errors:
            raise ma.ValidationError(errors)


class CourseUpdateSchema(Partial, CourseSchema):
    pass


class CourseQuerySchema(Schema):
    host_agency_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(COURSE_KINDS))
    q = ma.fields.String(metadata={"description": "Part of the code or title."})
