"""Compliance and expiry report schemas."""

import marshmallow as ma

from blueprints.fields import Hours, Schema

STANDINGS = ("compliant", "not_compliant", "no_requirements")


class CategoryStatusSchema(Schema):
    category = ma.fields.String()
    required = Hours()
    earned = Hours()
    short_by = Hours()


class RequirementStatusSchema(Schema):
    requirement_id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    compliant = ma.fields.Boolean()
    required = Hours(allow_none=True)
    earned = Hours(allow_none=True)
    short_by = Hours()
    due_by = ma.fields.Date(allow_none=True, metadata={"description": "When it must be met."})
    period_start = ma.fields.Date(allow_none=True)
    period_end = ma.fields.Date(allow_none=True)
    by_category = ma.fields.List(ma.fields.Nested(CategoryStatusSchema))
    certification_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(
        allow_none=True, metadata={"description": "Certifications: valid, expired, missing."}
    )
    expires_on = ma.fields.Date(allow_none=True)


class PersonComplianceSchema(Schema):
    person_id = ma.fields.Integer()
    person_name = ma.fields.String()
    employee_id = ma.fields.String(allow_none=True)
    status = ma.fields.String(
        metadata={
            "enum": list(STANDINGS),
            "description": "no_requirements: the agency has no active requirement to check.",
        }
    )
    compliant = ma.fields.Boolean(
        metadata={"description": "True only when there are requirements and all are met."}
    )
    requirements = ma.fields.List(ma.fields.Nested(RequirementStatusSchema))


class AgencyComplianceQuerySchema(Schema):
    status = ma.fields.String(
        load_default="all",
        validate=ma.validate.OneOf(("all", "short", *STANDINGS)),
        metadata={"description": "short: the same as not_compliant."},
    )


class ExpiringQuerySchema(Schema):
    within_days = ma.fields.Integer(load_default=90, validate=ma.validate.Range(min=0, max=3650))
    include_expired = ma.fields.Boolean(load_default=True)


class ExpiringSchema(Schema):
    award_id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person_name = ma.fields.String()
    employee_id = ma.fields.String(allow_none=True)
    certification_id = ma.fields.Integer()
    certification_name = ma.fields.String()
    number = ma.fields.String()
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date()
    days_left = ma.fields.Integer(metadata={"description": "Negative once expired."})
    status = ma.fields.String()
