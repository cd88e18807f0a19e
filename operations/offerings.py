"""Scheduling an offering and changing it while it is open."""

from database import in_write_transaction
from models import Agency, Offering, SeatReservation
from queries.catalog import attach_reservations, taken_seats
from queries.offerings import offering_view
from rules.seats import check_seats, check_visibility_reservations

from . import audit
from .events import offering_cancelled, offering_changed
from .offering_lock import claim_open
from .schedule import check_instructors, save_instructors, save_sessions

# the open-class settings an offering takes as they are given
SEAT_FIELDS = ("visibility", "capacity", "reservations_release_at", "registration_closes_at")
SEAT_FIELDS += ("waitlist",)


def _snapshot(offering):
    offering_view(offering)
    attach_reservations([offering])
    return audit.snapshot(
        offering,
        instructor_ids=offering.instructor_ids,
        sessions=offering.sessions,
        reserved_seats=offering.reserved_seats,
    )


def _reserved(data):
    """{agency_id: seats} from the request's [{agency_id, seats}]."""
    return {row["agency_id"]: row["seats"] for row in data.get("reserved_seats") or []}


def _check_seats(offering, host_id, data):
    """The offering's seats as they would be after `data`, checked; the reservations."""
    from policy import partners_of  # the host's partners: a lookup policy keeps

    if "reserved_seats" in data:
        reserved = _reserved(data)
    else:
        reserved = {r.agency_id: r.seats for r in offering.reservation_rows} if offering else {}
    capacity = data["capacity"] if "capacity" in data else getattr(offering, "capacity", None)
    visibility = data.get("visibility") or getattr(offering, "visibility", "host")
    known = {a for (a,) in Agency.select(Agency.id).where(Agency.id.in_(list(reserved))).tuples()}
    taken = sum(taken_seats(offering.id).values()) if offering else 0
    check_seats(capacity, reserved, known, taken=taken)
    check_visibility_reservations(visibility, host_id, reserved, partners_of(host_id))
    return reserved


def _save_reservations(offering, reserved):
    SeatReservation.delete().where(SeatReservation.offering == offering.id).execute()
    if reserved:
        SeatReservation.insert_many(
            [{"offering": offering.id, "agency": a, "seats": s} for a, s in reserved.items()]
        ).execute()


@in_write_transaction
def create_offering(course, data, actor):
    """Schedule `course` with its sessions and instructors at the host agency."""
    check_instructors(data["instructor_ids"])
    reserved = _check_seats(None, data["host_agency_id"], data)
    offering = Offering.create(
        course=course,
        host_agency=data["host_agency_id"],
        location=data["location"],
        **{name: data[name] for name in SEAT_FIELDS if name in data},
    )
    _save_reservations(offering, reserved)
    save_sessions(offering, data["sessions"])
    save_instructors(offering, data["instructor_ids"])
    audit.record(
        actor,
        "create",
        "offering",
        offering.id,
        after=_snapshot(offering),
        agency_id=offering.host_agency_id,
    )
    return offering


@in_write_transaction
def update_offering(offering, data, actor):
    """Change location, sessions, instructors or seats of an open offering; seats freed by
    a larger capacity go to the waitlist at once."""
    from .registrations import fill_seats  # registrations write rosters; import on use

    if "instructor_ids" in data:
        check_instructors(data["instructor_ids"])
    claim_open(offering)
    before = _snapshot(offering)
    reserved = _check_seats(offering, offering.host_agency_id, data)
    for name in ("location", *SEAT_FIELDS):
        if name in data:
            setattr(offering, name, data[name])
    offering.sequence += 1  # calendars show the change
    offering.save()
    if "reserved_seats" in data:
        _save_reservations(offering, reserved)
    if "sessions" in data:
        save_sessions(offering, data["sessions"])
    if "instructor_ids" in data:
        save_instructors(offering, data["instructor_ids"])
    audit.record(
        actor,
        "update",
        "offering",
        offering.id,
        before=before,
        after=_snapshot(offering),
        agency_id=offering.host_agency_id,
    )
    offering_changed(offering, before)
    fill_seats(offering, actor)
    return offering


@in_write_transaction
def cancel_offering(offering, reason, actor):
    """Call off a class that has not closed: nothing more is recorded against it, calendars
    show it cancelled, and those in it hear why. Kept, never deleted."""
    claim_open(offering)
    before = _snapshot(offering)
    offering.status = "cancelled"
    offering.sequence += 1  # calendars show the change
    offering.save()
    audit.record(
        actor,
        "cancel",
        "offering",
        offering.id,
        before=before,
        after=_snapshot(offering),
        reason=reason,
        agency_id=offering.host_agency_id,
    )
    offering_cancelled(offering, reason)
    return offering
