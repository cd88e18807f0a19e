"""Merging an agency created at the door into the agency it really is."""

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

from .errors import Conflict

AGENCY_REFERENCES = (
    (Person, Person.agency),
    (User, User.agency),
    (Course, Course.host_agency),
    (Offering, Offering.host_agency),
    (Requirement, Requirement.agency),
    (Certification, Certification.agency),
    (Completion, Completion.issuer),
)


def merge_agency(duplicate, survivor):
    """Move every record of `duplicate` to `survivor` and leave a tombstone; call in atomic()."""
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
    clashing = sorted(row[0] for row in clashes)
    if clashing:
        raise Conflict(
            f"People of both agencies share employee ids {clashing}: merge those people first."
        )
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
    Agency.update(merged_into=survivor, verified=False).where(Agency.id == duplicate.id).execute()
    return moved
