"""Certification schemas."""

import marshmallow as ma

from blueprints.fields import Partial, Schema, UtcDateTime


class CertificationSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    issuing_body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    validity_months = ma.fields.Integer(
        allow_none=True, load_default=None, validate=ma.validate.Range(min=1, max=600)
    )
    code = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=40))
    agency_id = ma.fields.Integer(
        allow_none=True, load_default=None, metadata={"description": "The agency that keeps it."}
    )
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class CertificationUpdateSchema(Partial, CertificationSchema):
    pass


class CertificationQuerySchema(Schema):
    q = ma.fields.String()
    agency_id = ma.fields.Integer()
