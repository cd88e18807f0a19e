"""Attendance schemas."""

import marshmallow as ma

from blueprints import contract
from blueprints.fields import Hours, LocalDateTime, Schema, UtcDateTime
from rules.attendance import ROSTER_STATUSES


class AttendanceRowSchema(Schema):
    """One person at one session: minutes, or the times they checked in and out (a check-in
    alone is an open stay; a check-out alone closes it)."""

    person_id = ma.fields.Integer(required=True)
    session_id = ma.fields.Integer(required=True)
    minutes = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(min=0, error="Must be 0 or more."),
        metadata={"description": "Minutes attended, 0 up to the session's length."},
    )
    check_in = LocalDateTime(
        allow_none=True,
        metadata={
            **contract.RECORD_TIME,
            "description": "With check_out instead of minutes: the overlap with the session "
            "is credited, in real elapsed minutes. Alone: an open stay, credited nothing until "
            "a check-out closes it. Without an offset, read in the host agency's timezone.",
        },
    )
    check_out = LocalDateTime(
        allow_none=True,
        metadata={
            **contract.RECORD_TIME,
            "description": "Sent alone, closes the person's open stay at this session. "
            "Without an offset, read in the host agency's timezone.",
        },
    )


class StayTimesSchema(Schema):
    """Check-in and check-out as stored (UTC) and where the host agency is."""

    check_in = UtcDateTime(allow_none=True)
    check_out = UtcDateTime(allow_none=True)
    check_in_local = ma.fields.DateTime(
        allow_none=True, metadata={"description": "check_in in the host agency's timezone."}
    )
    check_out_local = ma.fields.DateTime(
        allow_none=True, metadata={"description": "check_out in the host agency's timezone."}
    )
    open = ma.fields.Boolean(
        metadata={"description": "Checked in, not yet out: credited nothing until closed."}
    )


class AttendanceWrittenSchema(StayTimesSchema):
    person_id = ma.fields.Integer()
    session_id = ma.fields.Integer()
    minutes = ma.fields.Integer(metadata={"description": "The minutes credited."})


class AttendanceWriteResultSchema(Schema):
    received = ma.fields.Integer(metadata={"description": "Rows in the batch."})
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer(metadata={"description": "Rows already recorded as sent."})
    rows = ma.fields.List(
        ma.fields.Nested(AttendanceWrittenSchema),
        metadata={"description": "The batch as recorded, in its order."},
    )


class AttendedSessionSchema(StayTimesSchema):
    session_id = ma.fields.Integer()
    minutes = ma.fields.Integer()


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
    timezone = ma.fields.String(
        metadata={"description": "The host agency's, in which the local times are shown."}
    )
    sessions = ma.fields.List(ma.fields.Nested(SessionLengthSchema))
    people = ma.fields.List(
        ma.fields.Nested(PersonAttendanceSchema),
        metadata={"description": "Everyone on the roster (this page of it), by last name."},
    )


class AttendanceQuerySchema(Schema):
    person_id = ma.fields.Integer()
    roster_status = ma.fields.String(validate=ma.validate.OneOf(ROSTER_STATUSES))


class StayKeySchema(Schema):
    person_id = ma.fields.Integer(required=True)
    session_id = ma.fields.Integer(required=True)


class CloseStaysSchema(Schema):
    stays = ma.fields.List(
        ma.fields.Nested(StayKeySchema),
        metadata={"description": "The open stays to close; every open stay when left out."},
    )


class OpenStaySchema(Schema):
    person_id = ma.fields.Integer()
    person_name = ma.fields.String()
    session_id = ma.fields.Integer()
    session_starts_at = UtcDateTime()
    session_ends_at = UtcDateTime()
    check_in = UtcDateTime()
    check_in_local = ma.fields.DateTime()
