"""Registrations as the API shows them: each with its place on the waitlist."""

from collections import defaultdict

from models import Offering, Registration, SeatReservation
from rules.seats import WAITLISTED


def waitlist_order(offering_id):
    """The offering's waitlisted registrations, first in line first."""
    return (
        Registration.select()
        .where(Registration.offering == offering_id, Registration.status == WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    )


def released_with_waitlist(now):
    """Scheduled offerings whose seat reservations are released by `now` and that keep
    someone on their waitlist: where released seats may be waiting for them."""
    return (
        Offering.select()
        .where(
            Offering.status == "scheduled",
            Offering.reservations_release_at <= now,
            Offering.id.in_(
                Registration.select(Registration.offering).where(Registration.status == WAITLISTED)
            ),
            Offering.id.in_(SeatReservation.select(SeatReservation.offering)),
        )
        .order_by(Offering.id)
    )


def registration_views(registrations):
    """Set `waitlist_position` (1 = next in line; None unless waitlisted) on a page of
    registrations: one query for the page's offerings."""
    offering_ids = {r.offering_id for r in registrations if r.status == WAITLISTED}
    positions = defaultdict(dict)
    if offering_ids:
        rows = (
            Registration.select(Registration.id, Registration.offering)
            .where(Registration.offering.in_(list(offering_ids)), Registration.status == WAITLISTED)
            .order_by(Registration.waitlisted_at, Registration.id)
            .tuples()
        )
        for registration_id, offering_id in rows:
            positions[offering_id][registration_id] = len(positions[offering_id]) + 1
    for registration in registrations:
        registration.waitlist_position = positions[registration.offering_id].get(registration.id)
    return registrations


def registration_view(registration):
    return registration_views([registration])[0]
