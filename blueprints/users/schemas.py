"""User schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from models import ROLES
from rules.users import MAX_TOKEN_DAYS

EXPIRES_IN_DAYS = {
    "allow_none": True,
    "validate": ma.validate.Range(min=1, max=MAX_TOKEN_DAYS),
    "metadata": {
        "description": "Days the token lives; null: until revoked. Default: the server's "
        "TOKEN_DEFAULT_DAYS."
    },
}


class UserSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    agency_id = ma.fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "Default: the person's agency when person_id is given. Required "
            "for every role but admin, unless person_id gives it."
        },
    )
    person_id = ma.fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The person this user is: required for an officer or an instructor."
        },
    )
    expires_in_days = ma.fields.Integer(load_only=True, **EXPIRES_IN_DAYS)
    active = ma.fields.Boolean(dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class UserUpdateSchema(Schema):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    person_id = ma.fields.Integer(allow_none=True)
    active = ma.fields.Boolean()


class UserWithTokenSchema(UserSchema):
    token = ma.fields.String(dump_only=True, metadata={"description": "Shown once."})
    token_expires_at = UtcDateTime(dump_only=True, allow_none=True)


class TokenRequestSchema(Schema):
    expires_in_days = ma.fields.Integer(**EXPIRES_IN_DAYS)


class TokenSchema(Schema):
    token = ma.fields.String(dump_only=True, metadata={"description": "Shown once."})
    expires_at = UtcDateTime(dump_only=True, allow_none=True)
    revoked = ma.fields.Integer(dump_only=True)


class UserQuerySchema(Schema):
    agency_id = ma.fields.Integer()
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
