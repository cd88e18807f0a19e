"""Catalog schemas: an open class as a joining agency sees it."""

import marshmallow as ma

from blueprints.fields import Hours, QueryDateTime, Schema, UtcDateTime
from models import COURSE_KINDS, VISIBILITIES


class CatalogQuerySchema(Schema):
    starts_after = QueryDateTime(metadata={"description": "First session at or after this."})
    starts_before = QueryDateTime(metadata={"description": "First session before this."})
    kind = ma.fields.String(validate=ma.validate.OneOf(COURSE_KINDS))
    credit_category = ma.fields.String(validate=ma.validate.Length(min=1, max=60))
    certification_id = ma.fields.Integer(metadata={"description": "Awards this certification."})
    host_agency_id = ma.fields.Integer()
    q = ma.fields.String(
        validate=ma.validate.Length(min=1, max=200),
        metadata={"description": "Text in the title, code, description, location or host."},
    )
    agency_id = ma.fields.Integer(
        metadata={"description": "Admins: the agency whose catalog and seats to show."}
    )


class CatalogHostSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    code = ma.fields.String()
    kind = ma.fields.String()
    state = ma.fields.String(allow_none=True)
    timezone = ma.fields.String()


class CatalogCreditSchema(Schema):
    category = ma.fields.String()
    hours = Hours()


class CatalogAwardSchema(Schema):
    certification_id = ma.fields.Integer()
    certification_name = ma.fields.String(allow_none=True)
    min_hours = Hours(allow_none=True)
    requires_pass = ma.fields.Boolean()


class CatalogCourseSchema(Schema):
    id = ma.fields.Integer()
    code = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    kind = ma.fields.String()
    hours = Hours()
    credits = ma.fields.List(ma.fields.Nested(CatalogCreditSchema))
    awards = ma.fields.List(ma.fields.Nested(CatalogAwardSchema))


class CatalogSessionSchema(Schema):
    id = ma.fields.Integer()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    local_starts_at = ma.fields.String(metadata={"description": "In the host's timezone."})
    local_ends_at = ma.fields.String(metadata={"description": "In the host's timezone."})


class CatalogEntrySchema(Schema):
    id = ma.fields.Integer(metadata={"description": "The offering's id."})
    offering_id = ma.fields.Function(lambda offering: offering.id)
    host = ma.fields.Nested(CatalogHostSchema, attribute="host_agency")
    course = ma.fields.Nested(CatalogCourseSchema)
    location = ma.fields.String()
    timezone = ma.fields.String(metadata={"description": "The host's: sessions' local times."})
    sessions = ma.fields.List(ma.fields.Nested(CatalogSessionSchema))
    visibility = ma.fields.String(validate=ma.validate.OneOf(VISIBILITIES))
    capacity = ma.fields.Integer(allow_none=True)
    seats_left = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Seats the caller's agency may still take: its reserved seats "
            "left plus the general seats left; null when unlimited."
        },
    )
    reserved_seats_left = ma.fields.Integer()
    waitlist = ma.fields.Boolean()
    registration_closes_at = UtcDateTime(allow_none=True)
    reservations_release_at = UtcDateTime(allow_none=True)
    registration_open = ma.fields.Boolean()
