"""Putting people on an offering's roster and taking them off it, walk-ins included."""

from peewee import IntegrityError

from database import db, in_write_transaction
from models import RosterEntry, utcnow
from rules.attendance import ENROLLED, WITHDRAWN, check_withdrawable
from rules.errors import RuleViolation
from rules.people import under

from . import audit
from .offering_lock import claim_open
from .walk_ins import resolve_walk_in


def _audit_entry(actor, action, entry, offering, person, before=None, reason=None, **extra):
    audit.record(
        actor,
        action,
        "roster_entry",
        entry.id,
        before=before,
        after=audit.snapshot(entry, **extra),
        reason=reason,
        agency_id=offering.host_agency_id,
        person_agency_id=person.agency_id,
    )


def door_match(found, actor):
    """How the door found a walk-in, as stored on the roster entry it made."""
    return {
        "walk_in": True,
        "matched_by": found.matched_by,
        "created_person": found.created_person,
        "matched_by_user": actor.id if actor else None,
        "matched_at": utcnow(),
    }


def _entry(offering, person, door):
    """(entry, outcome): the person's entry, made or re-enrolled if need be; `door` holds how
    a walk-in was matched (see door_match), recorded on the entry it adds or re-enrolls."""
    door = door or {}
    entry = RosterEntry.get_or_none(
        RosterEntry.offering == offering.id, RosterEntry.person == person.id
    )
    if entry is None:
        try:
            with db.atomic():  # a savepoint: a concurrent add of the same person may win
                return RosterEntry.create(
                    offering=offering.id, person=person.id, status=ENROLLED, **door
                ), "added"
        except IntegrityError:
            entry = RosterEntry.get(
                RosterEntry.offering == offering.id, RosterEntry.person == person.id
            )
    if entry.status == ENROLLED:
        return entry, None
    entry.status, entry.reason = ENROLLED, None
    for key, value in door.items():
        setattr(entry, key, value)
    entry.save()
    return entry, "re-enrolled"


@in_write_transaction
def enroll(offering, person, actor, *, door=None, settle=True):
    """Put a person on the roster; return (entry, outcome).

    outcome is "added" for a new entry, "re-enrolled" when a withdrawn entry is enrolled
    again (the same entry: nothing is ever deleted), or None when already enrolled. `door`:
    how a walk-in was matched (door_match), kept on the entry and in its audit. A pending or
    waitlisted registration of the person is confirmed (registrations.settle_at_door), unless
    `settle` is False (a registration being confirmed enrolls its person).
    """
    claim_open(offering)
    entry, outcome = _entry(offering, person, door)
    if outcome == "added":
        _audit_entry(actor, "create", entry, offering, person)
    elif outcome == "re-enrolled":
        _audit_entry(
            actor,
            "update",
            entry,
            offering,
            person,
            before={"status": WITHDRAWN},
            reason="Added again.",
        )
    if settle:
        # registrations put people on the roster, so that module imports this one
        from .registrations import settle_at_door

        settle_at_door(offering, person, actor)
    return entry, outcome


@in_write_transaction
def enroll_walk_in(offering, data, actor):
    """Match a walk-in to a person on file (or create them, and their agency if unknown)
    and put them on the roster. Returns (WalkIn, entry, outcome); a refusal names `person`.
    """
    claim_open(offering)
    try:
        found = resolve_walk_in(offering, data, actor)
    except RuleViolation as violation:
        raise under("person", violation) from None
    entry, outcome = enroll(offering, found.person, actor, door=door_match(found, actor))
    return found, entry, outcome


@in_write_transaction
def withdraw(entry, reason, actor):
    """Mark a roster entry withdrawn with a reason; it is never deleted."""
    offering = entry.offering
    claim_open(offering)
    check_withdrawable(entry.status)
    before = audit.snapshot(entry)
    entry.status, entry.reason = WITHDRAWN, reason
    entry.save()
    _audit_entry(actor, "withdraw", entry, offering, entry.person, before=before, reason=reason)
    return entry
