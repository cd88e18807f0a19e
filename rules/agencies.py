"""Merging an agency created at the door into the agency it really is."""
from models import (Agency, Certification, Completion, Course, Offering, Person,
                    Requirement, User)

from .errors import Conflict

AGENCY_REFERENCES = ((Person, Person.agency), (User, User.agency), (Course, Course.host_agency),
                     (Offering, Offering.host_agency), (Requirement, Requirement.agency),
                     (Certification, Certification.agency), (Completion, Completion.issuer))


def merge_agency(duplicate, survivor):
    """Move every record of `duplicate` to `survivor` and leave a tombstone; call in atomic()."""
    clashes = (Person.select(Person.employee_id)
               .where(Person.agency == duplicate, Person.employee_id.is_null(False),
                      Person.employee_id.in_(
                          Person.select(Person.employee_id).where(Person.agency == survivor)))
               .tuples())
    clashing = sorted(row[0] for row in clashes)
    if clashing:
        raise Conflict(f"People of both agencies share employee ids {clashing}: "
                       "merge those people first.")
    moved = {}
    for model, field in AGENCY_REFERENCES:
        moved[model.__name__] = (model.update({field: survivor})
                                 .where(field == duplicate).execute())
    Agency.update(merged_into=survivor, verified=False).where(Agency.id == duplicate.id).execute()
    return moved
