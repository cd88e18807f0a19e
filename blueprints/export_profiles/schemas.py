"""Export profile schemas."""

import marshmallow as ma

import lms
from blueprints.fields import Schema, UtcDateTime


class ExportProfileSchema(Schema):
    agency_id = ma.fields.Integer(dump_only=True)
    format = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=40),
        metadata={
            "description": "A format name from GET /export-formats.",
            "enum": sorted([f.name for f in lms.formats()] + list(lms.ALIASES)),
        },
    )
    preset = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(min=1, max=80),
        metadata={"description": "A preset of that format; `options` override it key by key."},
    )
    options = ma.fields.Dict(
        load_default=dict,
        metadata={
            "description": "The format's options (see its options_schema). A secret option "
            "(lrs_password) is stored but shown back as ********; leave it out or send "
            "******** to keep the stored one, null to clear it."
        },
    )
    secrets_set = ma.fields.List(ma.fields.String(), dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)
