"""Agency schemas."""

import zoneinfo

import marshmallow as ma

from blueprints import contract
from blueprints.fields import Partial, ReasonSchema, Schema, UtcDateTime
from models import AGENCY_KINDS, PAPER_SIZES


def valid_timezone(name):
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ma.ValidationError(f"Unknown IANA timezone {name!r}.") from None


class AgencySchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(AGENCY_KINDS))
    state = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=40))
    timezone = ma.fields.String(
        load_default="UTC",
        validate=valid_timezone,
        metadata={**contract.TIMEZONE, "description": "An IANA timezone name."},
    )
    verified = ma.fields.Boolean(dump_only=True)
    merged_into_id = ma.fields.Integer(dump_only=True, allow_none=True)
    export_profile = ma.fields.Dict(dump_only=True, allow_none=True)
    paper_size = ma.fields.String(
        load_default="letter",
        validate=ma.validate.OneOf(PAPER_SIZES),
        metadata={"description": "The paper its certificates print on: letter or a4."},
    )
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class AgencyUpdateSchema(Partial, AgencySchema):
    pass


class AgencyQuerySchema(Schema):
    kind = ma.fields.String(validate=ma.validate.OneOf(AGENCY_KINDS))
    state = ma.fields.String()
    verified = ma.fields.Boolean()
    q = ma.fields.String(metadata={"description": "Part of the name or code."})


class AgencyMergeSchema(ReasonSchema):
    into_id = ma.fields.Integer(required=True)
