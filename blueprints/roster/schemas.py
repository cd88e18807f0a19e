"""Roster schemas."""

import marshmallow as ma

from blueprints.agencies.schemas import valid_timezone
from blueprints.fields import ReasonSchema, Schema, UtcDateTime
from blueprints.people.schemas import ID_NAME, ID_VALUE
from models import AGENCY_KINDS
from rules.attendance import ROSTER_STATUSES


class RosterPersonSchema(Schema):
    """The person on a roster entry, as much as the people running the offering need."""

    id = ma.fields.Integer()
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.String()
    employee_id = ma.fields.String(
        allow_none=True,
        metadata={"description": "Shown for another agency's person only if the door used it."},
    )
    email = ma.fields.String(
        metadata={"description": "Another agency's person's, only if the door matched by it."}
    )
    external_ids = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Another agency's person's regulator id the door matched by."},
    )


class RosterEntrySchema(Schema):
    id = ma.fields.Integer()
    offering_id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person = ma.fields.Nested(RosterPersonSchema)
    walk_in = ma.fields.Boolean(
        metadata={"description": "Added at the door (POST {person}) rather than by id."}
    )
    status = ma.fields.String(validate=ma.validate.OneOf(ROSTER_STATUSES))
    reason = ma.fields.String(allow_none=True, metadata={"description": "Why withdrawn."})
    matched_by = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "How the door found an existing person: employee_id, "
            "external_ids.<name>, email or name; null if added by id or created at the door."
        },
    )
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class WalkInAgencySchema(Schema):
    """An agency not yet in the system; matched by code or name and state first."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(AGENCY_KINDS))
    state = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    code = ma.fields.String(
        validate=ma.validate.Length(min=1, max=40),
        metadata={"description": "Its code if known; otherwise one is made from the name."},
    )
    timezone = ma.fields.String(
        validate=valid_timezone, metadata={"description": "Defaults to the host agency's timezone."}
    )


class WalkInSchema(Schema):
    first_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    last_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    email = ma.fields.Email(allow_none=True)
    employee_id = ma.fields.String(allow_none=True, validate=ma.validate.Length(min=1, max=60))
    external_ids = ma.fields.Dict(keys=ID_NAME, values=ID_VALUE, load_default=dict)
    agency_id = ma.fields.Integer(metadata={"description": "An agency already known."})
    agency = ma.fields.Nested(WalkInAgencySchema)

    @ma.validates_schema
    def check_one_agency(self, data, **kwargs):
        if "agency_id" in data and "agency" in data:
            raise ma.ValidationError("Give agency_id or agency, not both.", "agency")
        if "agency_id" not in data and "agency" not in data:
            raise ma.ValidationError(
                "Give agency_id, or agency {name, kind, state} for an agency not yet known.",
                "agency_id",
            )


class RosterAddSchema(Schema):
    person_id = ma.fields.Integer(
        metadata={"description": "Someone already known. Give exactly one of person_id and person."}
    )
    person = ma.fields.Nested(
        WalkInSchema,
        metadata={
            "description": "A walk-in: matched to an existing person (same agency and "
            "employee id, same regulator id, or same email) before one is "
            "created."
        },
    )

    @ma.validates_schema
    def check_one_person(self, data, **kwargs):
        if "person_id" in data and "person" in data:
            raise ma.ValidationError("Give person_id or person, not both.", "person")
        if "person_id" not in data and "person" not in data:
            raise ma.ValidationError("Give person_id, or person for a walk-in.", "person_id")


class RosterAddResultSchema(Schema):
    entry = ma.fields.Nested(RosterEntrySchema)
    person_id = ma.fields.Integer()
    matched_by = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "employee_id, external_ids.<name>, email or name when a walk-in "
            "was matched to an existing person; null otherwise."
        },
    )
    created_person = ma.fields.Boolean()
    created_agency = ma.fields.Boolean()
    agency_id = ma.fields.Integer(metadata={"description": "The person's agency."})


class RosterQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(ROSTER_STATUSES))
    walk_in = ma.fields.Boolean()
    agency_id = ma.fields.Integer()
    q = ma.fields.String(metadata={"description": "Part of the first or last name."})


class WithdrawSchema(ReasonSchema):
    pass
