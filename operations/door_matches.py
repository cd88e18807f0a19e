"""Undoing a wrong door match: the roster entry moves to the right person, a person created
there by mistake is merged into them or voided; nothing is deleted, everything audited."""

from database import in_write_transaction
from models import Attendance, CheckIn, Person, Result, RosterEntry, set_external_ids, utcnow
from rules.attendance import ENROLLED, WITHDRAWN
from rules.errors import Conflict
from rules.people import check_undoable, check_voidable

from . import audit
from .merge import count_records, merge_people
from .offering_lock import claim_open
from .walk_ins import follow_merges

# Rows of one offering that belong to whoever is on its roster entry.
OFFERING_ROWS = (Attendance, Result, CheckIn)


def _move(entry, wrong, right):
    """The entry and the offering's rows of `wrong` go to `right` (who must not be on it)."""
    if (
        RosterEntry.select()
        .where(RosterEntry.offering == entry.offering_id, RosterEntry.person == right.id)
        .exists()
    ):
        raise Conflict(
            f"Person {right.id} is already on this offering's roster; ask its host to "
            "withdraw one of the two entries."
        )
    for model in OFFERING_ROWS:
        model.update(person=right.id).where(
            model.offering == entry.offering_id, model.person == wrong.id
        ).execute()
    entry.person = right.id


def void_person(person, entry, reason, actor):
    """Void a person created by mistake at `entry`'s door: kept, identifiers released so they
    match nobody; refused if they hold records anywhere else."""
    records = count_records([person.id])
    elsewhere = RosterEntry.select().where(
        RosterEntry.person == person.id, RosterEntry.offering != entry.offering_id
    )
    check_voidable(
        elsewhere.count()
        + sum(records[name] for name in ("Completion", "Award", "Submission", "User"))
        + records["OfferingInstructor"]
    )
    audit.change(
        actor,
        "void",
        "person",
        person,
        {"voided_at": utcnow(), "email": None, "employee_id": None},
        reason=reason,
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
    )
    set_external_ids(person, {})


@in_write_transaction
def undo_door_match(entry, right, reason, actor):
    """Undo how another agency's door matched (or created) one of an agency's people.

    With `right` (the person the walk-in really was): a person the door created is merged
    into them (losing nothing); a person the door matched gives the entry, with its
    attendance, results and check-ins in that offering, to them. Without: the entry is
    withdrawn so the wrong person gets no credit, and a person the door created is voided;
    the host adds the walk-in again with the right details. Refused once the offering is
    closed (its records were issued): the host reopens it first.
    """
    offering = entry.offering
    claim_open(offering)
    entry = RosterEntry.get_by_id(entry.id)
    wrong = Person.get_by_id(entry.person_id)
    right = follow_merges(right) if right is not None else None
    check_undoable(entry.corrected_at, wrong.id, right.id if right else None)
    before = audit.snapshot(entry)
    if right is not None and entry.created_person:
        merge_people(right, wrong, f"Created by mistake at the door: {reason}", actor)
        entry = RosterEntry.get_by_id(entry.id)
    elif right is not None:
        _move(entry, wrong, right)
    else:
        if entry.status == ENROLLED:
            entry.status, entry.reason = WITHDRAWN, f"Wrong person matched at the door: {reason}"
        if entry.created_person:
            void_person(wrong, entry, reason, actor)
    entry.corrected_at = utcnow()
    entry.save()
    audit.record(
        actor,
        "undo_door_match",
        "roster_entry",
        entry.id,
        before=before,
        after=audit.snapshot(entry),
        reason=reason,
        agency_id=offering.host_agency_id,
        person_agency_id=wrong.agency_id,
    )
    return entry
