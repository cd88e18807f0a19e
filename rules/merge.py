"""Merging two records of one person: everything moves to the survivor, nothing is lost."""

from models import (
    Attendance,
    Award,
    Completion,
    OfferingInstructor,
    PersonExternalId,
    Result,
    RosterEntry,
    Submission,
    User,
    set_external_ids,
    utcnow,
)

from .errors import Conflict

# Every table that points at a person, and the column that does.
PERSON_REFERENCES = (
    (RosterEntry, RosterEntry.person),
    (Attendance, Attendance.person),
    (Result, Result.person),
    (Completion, Completion.person),
    (Award, Award.person),
    (Submission, Submission.person),
    (User, User.person),
    (OfferingInstructor, OfferingInstructor.person),
)


def count_records(person_ids):
    """{table: rows} pointing at any of these people."""
    return {
        model.__name__: model.select().where(field.in_(person_ids)).count()
        for model, field in PERSON_REFERENCES
    }


def merge_people(survivor, duplicate):
    """Move every record of `duplicate` to `survivor`, keep it as a tombstone; in atomic()."""
    if survivor.id == duplicate.id:
        raise Conflict("A person cannot be merged into themself.")
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise Conflict("One of these people was already merged into another.")
    _refuse_clashes(survivor, duplicate)
    external_ids = {**duplicate.external_ids, **survivor.external_ids}
    before = count_records([survivor.id, duplicate.id])
    for model, field in PERSON_REFERENCES:
        moved = {field: survivor.id}
        if "updated_at" in model._meta.fields:  # so agencies' changed_since pulls see it
            moved["updated_at"] = utcnow()
        model.update(moved).where(field == duplicate.id).execute()
    PersonExternalId.delete().where(PersonExternalId.person == duplicate).execute()
    if not survivor.email and duplicate.email:
        survivor.email = duplicate.email
    if (
        not survivor.employee_id
        and duplicate.employee_id
        and survivor.agency_id == duplicate.agency_id
    ):
        survivor.employee_id, duplicate.employee_id = duplicate.employee_id, None
        duplicate.save()  # first: the employee id is unique within the agency
    duplicate.merged_into = survivor
    duplicate.save()
    set_external_ids(survivor, external_ids)  # saves the survivor too
    after = count_records([survivor.id])
    if before != after:
        raise RuntimeError(f"Merge would lose records: {before} became {after}.")
    return after


def _refuse_clashes(survivor, duplicate):
    """Two records on one roster, or two values of one regulator id, need a person's call."""
    both = {
        row[0]
        for row in RosterEntry.select(RosterEntry.offering)
        .where(RosterEntry.person == survivor.id)
        .tuples()
    }
    shared = sorted(
        row[0]
        for row in RosterEntry.select(RosterEntry.offering)
        .where(RosterEntry.person == duplicate.id)
        .tuples()
        if row[0] in both
    )
    if shared:
        raise Conflict(
            f"Both records are on the roster of offerings {shared}; withdraw one "
            "of them there first."
        )
    taught = {
        row[0]
        for row in OfferingInstructor.select(OfferingInstructor.offering)
        .where(OfferingInstructor.person == survivor.id)
        .tuples()
    }
    if any(
        row[0] in taught
        for row in OfferingInstructor.select(OfferingInstructor.offering)
        .where(OfferingInstructor.person == duplicate.id)
        .tuples()
    ):
        raise Conflict("Both records teach the same offering; correct its instructors first.")
    differing = sorted(
        scheme
        for scheme, value in duplicate.external_ids.items()
        if scheme in survivor.external_ids and survivor.external_ids[scheme] != value
    )
    if differing:
        raise Conflict(f"The records hold different values for {differing}; correct one first.")
