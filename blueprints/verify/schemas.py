"""Verification schema: only what a certificate shows, nothing more about the person."""

import marshmallow as ma

from blueprints.fields import Hours, Schema


class VerificationSchema(Schema):
    status = ma.fields.String(metadata={"description": "valid, expired or revoked"})
    kind = ma.fields.String(metadata={"description": "completion or award"})
    person_name = ma.fields.String()
    title = ma.fields.String()
    number = ma.fields.String(allow_none=True)
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)
    hours = Hours(allow_none=True)
    issuer = ma.fields.String(allow_none=True)
