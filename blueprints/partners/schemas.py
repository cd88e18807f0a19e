"""Partner list schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime

MAX_PARTNERS = 1000

AGENCY_IDS = ma.fields.List(
    ma.fields.Integer(strict=True),
    validate=ma.validate.Length(max=MAX_PARTNERS),
    metadata={
        "description": "The ids of the agencies this agency lists as partners. Give "
        "exactly one of partner_ids and agency_ids."
    },
)


class PartnerListInSchema(Schema):
    partner_ids = AGENCY_IDS
    agency_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        validate=ma.validate.Length(max=MAX_PARTNERS),
        metadata={"description": "Another name for partner_ids; give one of the two."},
    )

    @ma.validates_schema
    def one_list(self, data, **kwargs):
        if ("partner_ids" in data) == ("agency_ids" in data):
            raise ma.ValidationError(
                "Give the whole list of partner agencies as partner_ids (or agency_ids), once.",
                "partner_ids",
            )

    @ma.post_load
    def as_partner_ids(self, data, **kwargs):
        field = "partner_ids" if "partner_ids" in data else "agency_ids"
        return {"partner_ids": data[field], "field": field}


class PartnerSchema(Schema):
    id = ma.fields.Integer(attribute="partner.id")
    name = ma.fields.String(attribute="partner.name")
    code = ma.fields.String(attribute="partner.code")
    kind = ma.fields.String(attribute="partner.kind")
    since = UtcDateTime(attribute="updated_at", metadata={"description": "Listed since."})


class PartnerListSchema(Schema):
    agency_id = ma.fields.Integer()
    partner_ids = ma.fields.List(ma.fields.Integer())
    partners = ma.fields.List(ma.fields.Nested(PartnerSchema))
