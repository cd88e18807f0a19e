"""Registration schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from models import REGISTRATION_STATUSES

TEXT = ma.validate.Length(min=1, max=2000)


class RegistrationCreateSchema(Schema):
    person_id = ma.fields.Integer(required=True)


class RegisteredPersonSchema(Schema):
    id = ma.fields.Integer()
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    agency_id = ma.fields.Integer()


class RegistrationSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    offering_id = ma.fields.Integer(dump_only=True)
    person_id = ma.fields.Integer(dump_only=True)
    person = ma.fields.Nested(RegisteredPersonSchema, dump_only=True)
    agency_id = ma.fields.Integer(
        dump_only=True, metadata={"description": "The home agency whose seats it counts on."}
    )
    status = ma.fields.String(dump_only=True, validate=ma.validate.OneOf(REGISTRATION_STATUSES))
    seat = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "`reserved` (its agency's) or `general`, while confirmed; `door` "
            "when the instructor admitted the person at the door with no seat left."
        },
    )
    waitlist_position = ma.fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "1: next in line."}
    )
    requested_by_id = ma.fields.Integer(dump_only=True, allow_none=True)
    decided_by_id = ma.fields.Integer(dump_only=True, allow_none=True)
    decided_at = UtcDateTime(dump_only=True, allow_none=True)
    comment = ma.fields.String(dump_only=True, allow_none=True)
    confirmed_at = UtcDateTime(dump_only=True, allow_none=True)
    waitlisted_at = UtcDateTime(dump_only=True, allow_none=True)
    cancelled_at = UtcDateTime(dump_only=True, allow_none=True)
    reason = ma.fields.String(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class RegistrationQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(REGISTRATION_STATUSES))
    person_id = ma.fields.Integer()
    agency_id = ma.fields.Integer(metadata={"description": "The people of this home agency."})


class RegistrationsQuerySchema(RegistrationQuerySchema):
    offering_id = ma.fields.Integer()
    mine = ma.fields.Boolean(metadata={"description": "Only the caller's own registrations."})


class RegistrationApproveSchema(Schema):
    comment = ma.fields.String(validate=TEXT, load_default=None)


class RegistrationDeclineSchema(Schema):
    comment = ma.fields.String(
        required=True, validate=TEXT, metadata={"description": "Why, for the officer."}
    )


class RegistrationCancelSchema(Schema):
    reason = ma.fields.String(required=True, validate=TEXT)
