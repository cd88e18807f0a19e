"""Open classes as an agency sees them: seats taken and left, and the catalog's pages."""

from collections import defaultdict

from peewee import fn

from models import (
    Agency,
    Certification,
    Course,
    CourseAward,
    CourseCredit,
    Offering,
    Registration,
    SeatReservation,
    Session,
)
from rules.attendance import as_local
from rules.seats import CONFIRMED, reserved_left, seats_left

from .children import attach_children
from .courses import course_views


def attach_reservations(offerings):
    """Set `offering.reserved_seats` ([{agency_id, seats}]) for a page (one query)."""
    return attach_children(
        offerings,
        "reserved_seats",
        SeatReservation,
        SeatReservation.offering,
        lambda r: {"agency_id": r.agency_id, "seats": r.seats},
        order_by=[SeatReservation.agency, SeatReservation.id],
    )


def taken_by_offering(offering_ids):
    """{offering_id: {agency_id: confirmed seats}} for these offerings (one query)."""
    taken = defaultdict(dict)
    rows = (
        Registration.select(Registration.offering, Registration.agency, fn.COUNT(Registration.id))
        .where(Registration.offering.in_(list(offering_ids)), Registration.status == CONFIRMED)
        .group_by(Registration.offering, Registration.agency)
        .tuples()
    )
    for offering_id, agency_id, count in rows:
        taken[offering_id][agency_id] = count
    return taken


def taken_seats(offering_id):
    """{agency_id: confirmed seats} of one offering."""
    return taken_by_offering([offering_id]).get(offering_id, {})


def released(offering, now):
    """True once the offering's reserved seats are open to everyone."""
    return offering.reservations_release_at is not None and now >= offering.reservations_release_at


def seat_state(offering, now):
    """(capacity, {agency_id: reserved seats}, {agency_id: confirmed seats}, released):
    what rules.seats decides the next seat from."""
    rows = SeatReservation.select(SeatReservation.agency, SeatReservation.seats).where(
        SeatReservation.offering == offering.id
    )
    reserved = dict(rows.tuples())
    return offering.capacity, reserved, taken_seats(offering.id), released(offering, now)


def registration_open(offering, now):
    return offering.status == "scheduled" and (
        offering.registration_closes_at is None or now < offering.registration_closes_at
    )


def catalog_query(joinable, now, args):
    """Scheduled offerings matching `joinable` (a condition on Offering) whose last session
    is still to end, soonest first, narrowed by the catalog's filters."""
    spans = Session.select(
        Session.offering,
        fn.MIN(Session.starts_at).alias("first"),
        fn.MAX(Session.ends_at).alias("last"),
    ).group_by(Session.offering)
    query = (
        Offering.select(Offering, Course, Agency)
        .join(spans, on=(spans.c.offering_id == Offering.id))
        .switch(Offering)
        .join(Course, on=(Offering.course == Course.id))
        .switch(Offering)
        .join(Agency, on=(Offering.host_agency == Agency.id))
        .where(Offering.status == "scheduled", spans.c.last > now, joinable)
        .order_by(spans.c.first, Offering.id)
    )
    if "starts_after" in args:
        query = query.where(spans.c.first >= args["starts_after"])
    if "starts_before" in args:
        query = query.where(spans.c.first < args["starts_before"])
    if "kind" in args:
        query = query.where(Course.kind == args["kind"])
    if "host_agency_id" in args:
        query = query.where(Offering.host_agency == args["host_agency_id"])
    if "credit_category" in args:
        query = query.where(
            Course.id.in_(
                CourseCredit.select(CourseCredit.course).where(
                    CourseCredit.category == args["credit_category"]
                )
            )
        )
    if "certification_id" in args:
        query = query.where(
            Course.id.in_(
                CourseAward.select(CourseAward.course).where(
                    CourseAward.certification == args["certification_id"]
                )
            )
        )
    if args.get("q"):
        text = args["q"].strip()
        query = query.where(
            Course.title.contains(text)
            | Course.code.contains(text)
            | Course.description.contains(text)
            | Offering.location.contains(text)
            | Agency.name.contains(text)
        )
    return query


def _local_session(session, timezone):
    return {
        "id": session.id,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "local_starts_at": as_local(session.starts_at, timezone).isoformat(),
        "local_ends_at": as_local(session.ends_at, timezone).isoformat(),
    }


def catalog_views(offerings, agency_id, now):
    """A page of catalog offerings with host, course, local sessions and the seats left for
    `agency_id` (None: the general seats); one query per kind of row for the page."""
    if not offerings:
        return offerings
    course_views([o.course for o in offerings])
    award_names = dict(
        Certification.select(Certification.id, Certification.name)
        .where(
            Certification.id.in_(
                [a["certification_id"] for o in offerings for a in o.course.awards]
            )
        )
        .tuples()
    )
    for offering in offerings:
        for award in offering.course.awards:
            award["certification_name"] = award_names.get(award["certification_id"])
    sessions = defaultdict(list)
    for session in (
        Session.select()
        .where(Session.offering.in_([o.id for o in offerings]))
        .order_by(Session.starts_at, Session.id)
    ):
        sessions[session.offering_id].append(session)
    attach_reservations(offerings)
    taken = taken_by_offering(o.id for o in offerings)
    for offering in offerings:
        timezone = offering.host_agency.timezone
        offering.timezone = timezone
        offering.sessions = [_local_session(s, timezone) for s in sessions[offering.id]]
        reserved = {r["agency_id"]: r["seats"] for r in offering.reserved_seats}
        is_released = released(offering, now)
        counts = taken.get(offering.id, {})
        offering.seats_taken = sum(counts.values())
        offering.seats_left = seats_left(
            offering.capacity, reserved, counts, is_released, agency_id
        )
        offering.reserved_seats_left = reserved_left(reserved, counts, is_released, agency_id)
        offering.registration_open = registration_open(offering, now)
    return offerings
