"""Attendance schemas."""

import marshmallow as ma

from blueprints.fields import Hours, Schema, UtcDateTime
from rules.attendance import ROSTER_STATUSES


class AttendanceRowSchema(Schema):
    """One person at one session: minutes, or the times they checked in and out."""

    person_id = ma.fields.Integer(required=True)
    session_id = ma.fields.Integer(required=True)
    minutes = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(min=0, error="Must be 0 or more."),
        metadata={"description": "Minutes attended, 0 up to the session's length."},
    )
    check_in = UtcDateTime(
        allow_none=True,
        metadata={
            "description": "With check_out instead of minutes: the overlap with the session "
            "is credited, in real elapsed minutes."
        },
    )
    check_out = UtcDateTime(allow_none=True)


class AttendanceWrittenSchema(Schema):
    person_id = ma.fields.Integer()
    session_id = ma.fields.Integer()
    minutes = ma.fields.Integer(metadata={"description": "The minutes credited."})
    check_in = UtcDateTime(allow_none=True)
    check_out = UtcDateTime(allow_none=True)


class AttendanceWriteResultSchema(Schema):
    received = ma.fields.Integer(metadata={"description": "Rows in the batch."})
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer(metadata={"description": "Rows already recorded as sent."})
    rows = ma.fields.List(
        ma.fields.Nested(AttendanceWrittenSchema),
        metadata={"description": "The batch as recorded, in its order."},
    )


class AttendedSessionSchema(Schema):
    session_id = ma.fields.Integer()
    minutes = ma.fields.Integer()
    check_in = UtcDateTime(allow_none=True)
    check_out = UtcDateTime(allow_none=True)


class PersonAttendanceSchema(Schema):
    person_id = ma.fields.Integer()
    person_name = ma.fields.String()
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.String()
    roster_status = ma.fields.String(validate=ma.validate.OneOf(ROSTER_STATUSES))
    walk_in = ma.fields.Boolean()
    total_minutes = ma.fields.Integer()
    total_hours = Hours()
    sessions = ma.fields.List(
        ma.fields.Nested(AttendedSessionSchema),
        metadata={"description": "The sessions with attendance recorded, soonest first."},
    )


class SessionLengthSchema(Schema):
    id = ma.fields.Integer()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    minutes = ma.fields.Integer()


class AttendanceSheetSchema(Schema):
    offering_id = ma.fields.Integer()
    sessions = ma.fields.List(ma.fields.Nested(SessionLengthSchema))
    people = ma.fields.List(
        ma.fields.Nested(PersonAttendanceSchema),
        metadata={"description": "Everyone on the roster (this page of it), by last name."},
    )


class AttendanceQuerySchema(Schema):
    person_id = ma.fields.Integer()
    roster_status = ma.fields.String(validate=ma.validate.OneOf(ROSTER_STATUSES))
