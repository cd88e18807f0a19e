"""Door match schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime


class DoorMatchSchema(Schema):
    """One roster entry where another agency's door matched or created this agency's person."""

    id = ma.fields.Integer(metadata={"description": "The roster entry."})
    offering_id = ma.fields.Integer()
    course_title = ma.fields.Function(lambda entry: entry.offering.course.title)
    host_agency_id = ma.fields.Function(lambda entry: entry.offering.host_agency_id)
    host_agency_name = ma.fields.Function(lambda entry: entry.offering.host_agency.name)
    person_id = ma.fields.Integer()
    first_name = ma.fields.Function(lambda entry: entry.person.first_name)
    last_name = ma.fields.Function(lambda entry: entry.person.last_name)
    matched_by = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "employee_id, external_ids.<name>, email or name; null when the "
            "door created the person (created_person)."
        },
    )
    created_person = ma.fields.Boolean()
    matched_by_user_id = ma.fields.Integer(allow_none=True, metadata={"description": "Who."})
    matched_by_user_email = ma.fields.Function(
        lambda entry: entry.matched_by_user.email if entry.matched_by_user_id else None
    )
    matched_at = UtcDateTime(allow_none=True, metadata={"description": "When."})
    status = ma.fields.String()
    corrected_at = UtcDateTime(allow_none=True, metadata={"description": "When undone."})


class DoorMatchQuerySchema(Schema):
    kind = ma.fields.String(
        validate=ma.validate.OneOf(("matched", "created")),
        metadata={"description": "matched: found on file; created: made at the door."},
    )
    corrected = ma.fields.Boolean(metadata={"description": "Only undone (true) or not (false)."})


class UndoSchema(Schema):
    person_id = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "The person of your agency the walk-in really was. Omit it when "
            "the walk-in was nobody of yours: the entry is withdrawn (and a person the door "
            "created is voided)."
        },
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
