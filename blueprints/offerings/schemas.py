"""Offering schemas."""

import datetime

import marshmallow as ma

from blueprints import contract
from blueprints.fields import Partial, QueryDateTime, Schema, UtcDateTime
from models import OFFERING_STATUSES, VISIBILITIES
from queries.catalog import attach_reservations

MAX_SESSION = datetime.timedelta(hours=24)
YEARS = (1950, 2200)  # training records, not science fiction: dates stay computable


class SessionSchema(Schema):
    id = ma.fields.Integer(metadata={"description": "Give it to keep or change a session."})
    starts_at = UtcDateTime(required=True, metadata=contract.RECORD_TIME)
    ends_at = UtcDateTime(
        required=True,
        metadata={
            **contract.RECORD_TIME,
            "description": "After starts_at, at most 24 hours later.",
        },
    )
    minutes = ma.fields.Integer(dump_only=True)

    @ma.validates_schema
    def check_span(self, data, **kwargs):
        for field in ("starts_at", "ends_at"):
            if field in data and not YEARS[0] <= data[field].year <= YEARS[1]:
                raise ma.ValidationError(f"Must be between {YEARS[0]} and {YEARS[1]}.", field)
        if "starts_at" in data and "ends_at" in data:
            if data["ends_at"] <= data["starts_at"]:
                raise ma.ValidationError("Must be after starts_at.", "ends_at")
            if data["ends_at"] - data["starts_at"] > MAX_SESSION:
                raise ma.ValidationError("A session lasts at most 24 hours.", "ends_at")


class ReservedSeatsSchema(Schema):
    agency_id = ma.fields.Integer(required=True)
    seats = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=100_000))


class OfferingSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    course_id = ma.fields.Integer(required=True)
    host_agency_id = ma.fields.Integer(
        metadata={"description": "Defaults to the course's host agency."}
    )
    location = ma.fields.String(load_default="", validate=ma.validate.Length(max=255))
    instructor_ids = ma.fields.List(ma.fields.Integer(), load_default=list)
    sessions = ma.fields.List(
        ma.fields.Nested(SessionSchema), required=True, validate=ma.validate.Length(min=1, max=366)
    )
    status = ma.fields.String(dump_only=True, validate=ma.validate.OneOf(OFFERING_STATUSES))
    closed_at = UtcDateTime(dump_only=True, allow_none=True)
    visibility = ma.fields.String(
        validate=ma.validate.OneOf(VISIBILITIES),
        metadata={
            "description": "Who may join: `host` (its own people, the default), `partners` "
            "(the host's partner agencies too) or `all` (every agency)."
        },
    )
    capacity = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(min=0, max=100_000),
        metadata={"description": "Seats; null for unlimited (the default)."},
    )
    reserved_seats = ma.fields.List(
        ma.fields.Nested(ReservedSeatsSchema),
        validate=ma.validate.Length(max=1000),
        metadata={
            "description": "Seats held for named agencies until `reservations_release_at`, "
            "then open to all; they count within `capacity`."
        },
    )
    reservations_release_at = UtcDateTime(allow_none=True)
    registration_closes_at = UtcDateTime(allow_none=True)
    waitlist = ma.fields.Boolean(
        metadata={"description": "Keep a waitlist once full (default true)."}
    )
    sequence = ma.fields.Integer(
        dump_only=True, metadata={"description": "Bumped on every change (calendar SEQUENCE)."}
    )
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)

    @ma.pre_dump(pass_collection=True)
    def load_reservations(self, data, many, **kwargs):
        items = data if many else [data]
        missing = [o for o in items if not hasattr(o, "reserved_seats") and hasattr(o, "id")]
        if missing:
            attach_reservations(missing)
        return data

    @ma.validates_schema
    def check_reserved_once(self, data, **kwargs):
        agencies = [r.get("agency_id") for r in data.get("reserved_seats") or []]
        if len(agencies) != len(set(agencies)):
            raise ma.ValidationError("An agency is listed twice.", "reserved_seats")

    @ma.validates_schema
    def check_sessions_apart(self, data, **kwargs):
        spans = sorted(
            (s["starts_at"], s["ends_at"], i)
            for i, s in enumerate(data.get("sessions") or [])
            if "starts_at" in s and "ends_at" in s
        )
        for (_, first_end, _), (second_start, _, index) in zip(spans, spans[1:], strict=False):
            if second_start < first_end:
                raise ma.ValidationError(
                    {
                        "sessions": {
                            index: {"starts_at": ["Overlaps another session of this offering."]}
                        }
                    }
                )


class OfferingUpdateSchema(Partial, OfferingSchema):
    class Meta:
        exclude = ("course_id", "host_agency_id")


class OfferingQuerySchema(Schema):
    course_id = ma.fields.Integer()
    host_agency_id = ma.fields.Integer()
    status = ma.fields.String(validate=ma.validate.OneOf(OFFERING_STATUSES))
    instructor_id = ma.fields.Integer()
    mine = ma.fields.Boolean(metadata={"description": "Only offerings the caller teaches."})
    starts_after = QueryDateTime()
    starts_before = QueryDateTime()
