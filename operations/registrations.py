"""Registering people for open classes: seats, the waitlist, approval, cancellation.

Every operation claims the offering's row first (operations.offering_lock.claim_open), so
the seats of one offering are counted by one transaction at a time: two registrations
racing for the last seat are served one after the other and exactly one gets it.
"""

from database import in_write_transaction
from models import Registration, RosterEntry
from queries.catalog import registration_open, seat_state
from queries.registrations import released_with_waitlist, waitlist_order
from rules import clock
from rules.attendance import ENROLLED
from rules.seats import (
    ACTIVE,
    CANCELLED,
    CONFIRMED,
    DECLINED,
    PENDING,
    WAITLISTED,
    check_cancellable,
    check_decidable,
    check_no_seat_no_waitlist,
    check_registrable,
    door_seat,
    seat_for,
)

from . import audit
from .events import registration_event
from .offering_lock import claim_open
from .roster import enroll, withdraw


def _audit(actor, action, registration, offering, *, before=None, reason=None):
    audit.record(
        actor,
        action,
        "registration",
        registration.id,
        before=before,
        after=audit.snapshot(registration),
        reason=reason,
        agency_id=offering.host_agency_id,
        person_agency_id=registration.agency_id,
    )
    registration_event(registration, action)


def _actor_id(actor):
    return actor.id if actor else None


def _confirm(registration, offering, seat, actor, now):
    """Give the registration its seat and put the person on the roster."""
    registration.status, registration.seat = CONFIRMED, seat
    registration.confirmed_at = now
    registration.sequence += 1
    registration.save()
    enroll(offering, registration.person, actor, settle=False)  # settled just now


def _next_seat(offering, agency_id, now):
    """The seat the agency's next confirmed registration takes, None for the waitlist
    (409 when none is left and the offering keeps no waitlist)."""
    seat = seat_for(*seat_state(offering, now), agency_id)
    check_no_seat_no_waitlist(seat, offering.waitlist)
    return seat


def _decided(registration, comment, actor, now):
    """Who decided a pending registration, when, and what they said."""
    registration.decided_by, registration.decided_at = _actor_id(actor), now
    registration.comment = comment


def _place(registration, offering, actor, now):
    """An approved registration takes a seat if its agency has one left, else the waitlist
    (409 when full and the offering keeps no waitlist)."""
    seat = _next_seat(offering, registration.agency_id, now)
    if seat:
        _confirm(registration, offering, seat, actor, now)
    else:
        registration.status, registration.waitlisted_at = WAITLISTED, now
        registration.sequence += 1
        registration.save()


@in_write_transaction
def register(offering, person, actor, *, approved):
    """Register a person: approved at once (their home coordinator, an admin) it takes a
    seat or joins the waitlist; otherwise (the officer themself) it waits, pending, for the
    home coordinator. Conflict for a closed offering, closed registration, a person already
    registered, or a full offering without a waitlist."""
    claim_open(offering)
    now = clock.now()
    already = (
        Registration.select()
        .where(
            Registration.offering == offering.id,
            Registration.person == person.id,
            Registration.status.in_(ACTIVE),
        )
        .exists()
    )
    check_registrable(offering.status, registration_open(offering, now), already)
    registration = Registration.create(
        offering=offering.id,
        person=person.id,
        agency=person.agency_id,
        status=PENDING,
        requested_by=_actor_id(actor),
    )
    if approved:
        _decided(registration, None, actor, now)
        _place(registration, offering, actor, now)
    else:
        _next_seat(offering, registration.agency_id, now)  # refused now if it could never be
    _audit(actor, "create", registration, offering)
    return registration


@in_write_transaction
def approve(registration, comment, actor):
    """The home coordinator approves a pending registration: a seat or the waitlist."""
    offering = registration.offering
    claim_open(offering)
    check_decidable(registration.status)
    before = audit.snapshot(registration)
    now = clock.now()
    _decided(registration, comment, actor, now)
    _place(registration, offering, actor, now)
    _audit(actor, "approve", registration, offering, before=before, reason=comment)
    return registration


@in_write_transaction
def decline(registration, comment, actor):
    """The home coordinator declines a pending registration, saying why."""
    offering = registration.offering
    claim_open(offering)
    check_decidable(registration.status)
    before = audit.snapshot(registration)
    _decided(registration, comment, actor, clock.now())
    registration.status = DECLINED
    registration.sequence += 1
    registration.save()
    _audit(actor, "decline", registration, offering, before=before, reason=comment)
    return registration


@in_write_transaction
def cancel(registration, reason, actor):
    """Cancel a registration with a reason; a seat it held goes to the first on the waitlist
    who may take it, in this same transaction, and its roster entry is withdrawn."""
    offering = registration.offering
    claim_open(offering)
    check_cancellable(registration.status)
    before = audit.snapshot(registration)
    held_seat = registration.status == CONFIRMED
    registration.status, registration.seat = CANCELLED, None
    registration.cancelled_at, registration.reason = clock.now(), reason
    registration.cancelled_by = _actor_id(actor)
    registration.sequence += 1
    registration.save()
    _audit(actor, "cancel", registration, offering, before=before, reason=reason)
    if held_seat:
        entry = RosterEntry.get_or_none(
            RosterEntry.offering == offering.id, RosterEntry.person == registration.person_id
        )
        if entry is not None and entry.status == ENROLLED:
            withdraw(entry, f"Registration cancelled: {reason}", actor)
        fill_seats(offering, actor)
    return registration


@in_write_transaction
def fill_seats(
    offering, actor, now=None, reason="A seat came free: first in line on the waitlist."
):
    """Give free seats to the waitlist in order: each waitlisted registration whose agency
    has a seat left takes it (a seat reserved for one agency waits for that agency's
    people). Returns the registrations promoted."""
    if offering.status != "scheduled":
        return []
    claim_open(offering)
    now = now or clock.now()
    capacity, reserved, taken, released = seat_state(offering, now)
    promoted = []
    for registration in waitlist_order(offering.id):
        registration.offering = offering  # loaded once, not once per registration
        seat = seat_for(capacity, reserved, taken, released, registration.agency_id)
        if seat is None:
            continue
        before = audit.snapshot(registration)
        _confirm(registration, offering, seat, actor, now)
        taken[registration.agency_id] = taken.get(registration.agency_id, 0) + 1
        _audit(actor, "promote", registration, offering, before=before, reason=reason)
        promoted.append(registration)
    return promoted


def release_reservations(now):
    """The worker's scan: once an offering's reservations are released, the seats they
    held go to its waitlist in order, without waiting for the next change to the offering;
    one transaction per offering. Returns how many registrations were promoted."""
    promoted = 0
    for offering in released_with_waitlist(now):
        reason = "Reserved seats released: first in line on the waitlist."
        promoted += len(fill_seats(offering, None, now, reason))
    return promoted


@in_write_transaction
def settle_at_door(offering, person, actor):
    """Someone put on the roster (a walk-in matched at the door, or added by id) who had a
    pending or waitlisted registration is confirmed: they are not left waiting for a seat
    they already sit in. They take a seat their agency has left, else a 'door' seat beyond
    the capacity, so the count of confirmed registrations keeps later seats honest. Returns
    the registration settled, or None."""
    registration = Registration.get_or_none(
        Registration.offering == offering.id,
        Registration.person == person.id,
        Registration.status.in_((PENDING, WAITLISTED)),
    )
    if registration is None:
        return None
    before = audit.snapshot(registration)
    now = clock.now()
    if registration.status == PENDING:  # the host admitted them; nothing is left to decide
        registration.decided_by, registration.decided_at = _actor_id(actor), now
    registration.status = CONFIRMED
    registration.seat = door_seat(*seat_state(offering, now), registration.agency_id)
    registration.confirmed_at = now
    registration.sequence += 1
    registration.save()
    _audit(
        actor,
        "admit",
        registration,
        offering,
        before=before,
        reason="Put on the roster at the door.",
    )
    return registration
