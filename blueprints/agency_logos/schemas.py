"""Agency logo schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime


class AgencyLogoSchema(Schema):
    agency_id = ma.fields.Integer(dump_only=True)
    media_type = ma.fields.String(
        dump_only=True, metadata={"description": "image/png or image/jpeg, read from the bytes."}
    )
    sha256 = ma.fields.String(dump_only=True)
    bytes = ma.fields.Function(lambda logo: len(logo.content), dump_only=True)
    width = ma.fields.Integer(dump_only=True)
    height = ma.fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
