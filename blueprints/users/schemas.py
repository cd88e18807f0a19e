"""User schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from models import ROLES


class UserSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    agency_id = ma.fields.Integer(allow_none=True, load_default=None)
    person_id = ma.fields.Integer(allow_none=True, load_default=None)
    active = ma.fields.Boolean(dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class UserUpdateSchema(Schema):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    person_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()


class UserWithTokenSchema(UserSchema):
    token = ma.fields.String(dump_only=True, metadata={"description": "Shown once."})


class TokenSchema(Schema):
    token = ma.fields.String(dump_only=True, metadata={"description": "Shown once."})
    revoked = ma.fields.Integer(dump_only=True)


class UserQuerySchema(Schema):
    agency_id = ma.fields.Integer()
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
