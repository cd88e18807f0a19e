"""Merging two records of one person: everything moves to the survivor, nothing is lost."""

from database import in_write_transaction
from models import (
    Attendance,
    Award,
    Completion,
    OfferingInstructor,
    Person,
    PersonExternalId,
    Result,
    RosterEntry,
    Submission,
    User,
    set_external_ids,
    utcnow,
)
from rules.merge import (
    check_mergeable,
    check_no_clashes,
    check_nothing_lost,
    merged_external_ids,
)

from . import audit

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


def _offerings(model, person):
    return {
        row[0] for row in model.select(model.offering).where(model.person == person.id).tuples()
    }


def _claim_unmerged(*people):
    """Re-read both people with their rows locked, so two merges of one pair cannot both pass.

    A no-op conditional UPDATE is the portable row lock: on PostgreSQL it waits for a racing
    merge and then re-checks `merged_into`; on SQLite the write transaction already holds the
    database.
    """
    ids = [person.id for person in people]
    Person.update(merged_into=None).where(
        Person.id.in_(ids), Person.merged_into.is_null()
    ).execute()
    fresh = {person.id: person for person in Person.select().where(Person.id.in_(ids))}
    return [fresh[i] for i in ids]


@in_write_transaction
def merge_people(survivor, duplicate, reason, actor):
    """Move every record of `duplicate` to `survivor` and keep it as a tombstone.

    Returns the survivor as stored and {table: rows now on the survivor}.
    """
    if survivor.id != duplicate.id:
        survivor, duplicate = _claim_unmerged(survivor, duplicate)
    check_mergeable(survivor, duplicate)
    check_no_clashes(
        _offerings(RosterEntry, survivor) & _offerings(RosterEntry, duplicate),
        _offerings(OfferingInstructor, survivor) & _offerings(OfferingInstructor, duplicate),
        survivor.external_ids,
        duplicate.external_ids,
    )
    before = {"survivor": audit.snapshot(survivor), "duplicate": audit.snapshot(duplicate)}
    external_ids = merged_external_ids(survivor.external_ids, duplicate.external_ids)
    counted = count_records([survivor.id, duplicate.id])
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
    records = count_records([survivor.id])
    check_nothing_lost(counted, records)
    audit.record(
        actor,
        "merge",
        "person",
        survivor.id,
        before=before,
        after={
            "survivor": audit.snapshot(survivor),
            "records": records,
            "duplicate_id": duplicate.id,
        },
        reason=reason,
        agency_id=survivor.agency_id,
        person_agency_id=survivor.agency_id,
    )
    audit.record(
        actor,
        "merged_into",
        "person",
        duplicate.id,
        after=audit.snapshot(duplicate),
        reason=reason,
        agency_id=duplicate.agency_id,
        person_agency_id=duplicate.agency_id,
    )
    return survivor, records
