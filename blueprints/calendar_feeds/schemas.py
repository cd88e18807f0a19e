"""Calendar feed schemas."""

import marshmallow as ma

from blueprints.fields import Schema, UtcDateTime
from models import FEED_KINDS


class CalendarFeedCreateSchema(Schema):
    kind = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(FEED_KINDS),
        metadata={
            "description": "`agency`: the open joint classes the agency may join; `personal`: "
            "the user's own classes (registered or teaching); `host`: the classes the agency "
            "runs."
        },
    )
    agency_id = ma.fields.Integer(
        metadata={"description": "For `agency` and `host`: defaults to the user's agency."}
    )


class CalendarFeedSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    user_id = ma.fields.Integer(dump_only=True)
    kind = ma.fields.String(dump_only=True)
    agency_id = ma.fields.Integer(dump_only=True, allow_none=True)
    created_at = UtcDateTime(dump_only=True)
    revoked_at = UtcDateTime(dump_only=True, allow_none=True)


class CalendarFeedCreatedSchema(CalendarFeedSchema):
    url = ma.fields.String(
        dump_only=True,
        metadata={"description": "The feed's URL with its secret: shown this once only."},
    )
