"""Agencies: created, changed, verified, and merged into the agency they really are."""

from database import in_write_transaction
from models import (
    Agency,
    Award,
    Certification,
    Completion,
    Course,
    Offering,
    Person,
    Requirement,
    User,
    utcnow,
)
from rules.agencies import check_merge, check_no_shared_employee_ids, check_verifiable

from . import audit

# Every table that points at an agency, and the column that does.
AGENCY_REFERENCES = (
    (Person, Person.agency),
    (User, User.agency),
    (Course, Course.host_agency),
    (Offering, Offering.host_agency),
    (Requirement, Requirement.agency),
    (Certification, Certification.agency),
    (Completion, Completion.issuer),
)


@in_write_transaction
def create_agency(data, actor, *, reason=None):
    """Create a verified agency."""
    agency = Agency.create(**data)
    audit.created(actor, "agency", agency, agency_id=agency.id, reason=reason)
    return agency


@in_write_transaction
def update_agency(agency, data, actor):
    """Change an agency's name, code, kind, state or timezone."""
    return audit.change(actor, "update", "agency", agency, data, agency_id=agency.id)


@in_write_transaction
def verify_agency(agency, actor):
    """Mark an agency created at the door as verified."""
    check_verifiable(agency)
    return audit.change(actor, "verify", "agency", agency, {"verified": True}, agency_id=agency.id)


@in_write_transaction
def merge_agency(duplicate, survivor, reason, actor):
    """Move every record of `duplicate` to `survivor` and leave a tombstone; the survivor."""
    check_merge(duplicate, survivor)
    clashes = (
        Person.select(Person.employee_id)
        .where(
            Person.agency == duplicate,
            Person.employee_id.is_null(False),
            Person.employee_id.in_(
                Person.select(Person.employee_id).where(Person.agency == survivor)
            ),
        )
        .tuples()
    )
    check_no_shared_employee_ids([row[0] for row in clashes])
    people = [row[0] for row in Person.select(Person.id).where(Person.agency == duplicate).tuples()]
    moved, now = {}, utcnow()
    for model, field in AGENCY_REFERENCES:
        moved[model.__name__] = (
            model.update({field: survivor, model.updated_at: now})
            .where(field == duplicate)
            .execute()
        )
    # their records now belong to the survivor's pulls (changed_since)
    for model in (Completion, Award):
        model.update(updated_at=now).where(model.person.in_(people or [0])).execute()
    Agency.update(merged_into=survivor, verified=False, updated_at=now).where(
        Agency.id == duplicate.id
    ).execute()
    audit.record(
        actor,
        "merge",
        "agency",
        duplicate.id,
        after={"merged_into": survivor.id, "moved": moved},
        reason=reason,
        agency_id=survivor.id,
    )
    return Agency.get_by_id(survivor.id)
