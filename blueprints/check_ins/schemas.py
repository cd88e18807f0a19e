"""Self check-in schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from models import CHECK_IN_STATUSES


class CheckInCodeSchema(Schema):
    offering_id = ma.fields.Integer()
    code = ma.fields.String(metadata={"description": "The class's check-in code."})
    code_grouped = ma.fields.String(metadata={"description": "The code as shown for typing."})
    check_in_url = ma.fields.String(
        metadata={"description": "What the sign-in sheet's QR code carries."}
    )


class ScanSchema(Schema):
    code = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=64),
        metadata={"description": "The class's check-in code (any case, spaces or dashes)."},
    )


class CheckInQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(CHECK_IN_STATUSES))


class CheckOutSchema(Schema):
    at = UtcDateTime(
        metadata={"description": "The check-out time (with an offset); now if left out."}
    )


class CheckInSchema(Schema):
    id = ma.fields.Integer()
    offering_id = ma.fields.Integer()
    session_id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person_name = ma.fields.String()
    agency_name = ma.fields.String()
    on_roster = ma.fields.Boolean(
        metadata={"description": "False: confirming adds the person to the roster as a walk-in."}
    )
    status = ma.fields.String(metadata={"enum": list(CHECK_IN_STATUSES)})
    checked_in_at = UtcDateTime()
    checked_out_at = UtcDateTime(allow_none=True)
    checked_in_local = ma.fields.DateTime(
        metadata={"description": "checked_in_at where the host agency is."}
    )
    checked_out_local = ma.fields.DateTime(allow_none=True)
    decided_by_id = ma.fields.Integer(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    reason = ma.fields.String(allow_none=True)


class ScanResultSchema(CheckInSchema):
    outcome = ma.fields.String(
        metadata={
            "enum": ["checked_in", "checked_out", "repeat"],
            "description": "checked_in: pending the instructor's confirmation; checked_out: "
            "a later scan in the same session; repeat: the same scan sent again.",
        }
    )
