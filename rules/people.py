"""Finding a person before creating one: walk-ins are matched, never duplicated."""
from models import Person, PersonExternalId, set_external_ids

from .errors import Conflict


def normalise_email(email):
    return email.strip().lower() if email else None


def find_existing(agency_id, employee_id=None, external_ids=None, email=None):
    """Return (person, matched_by) for the first rule that matches, or (None, None).

    Order: same agency and employee id, then any shared regulator id, then same email.
    Tombstones of merged people lead to the person they were merged into.
    """
    candidates = []
    if employee_id:
        candidates.append(("employee_id", Person.select().where(
            Person.agency == agency_id, Person.employee_id == employee_id)))
    for scheme, value in (external_ids or {}).items():
        candidates.append((f"external_ids.{scheme}", Person.select().join(PersonExternalId).where(
            PersonExternalId.scheme == scheme, PersonExternalId.value == value)))
    if email:
        candidates.append(("email", Person.select().where(
            Person.email == normalise_email(email)).order_by(Person.id)))
    for matched_by, query in candidates:
        person = query.first()
        if person is not None:
            return follow_merges(person), matched_by
    return None, None


def follow_merges(person):
    """The surviving record for a person that may have been merged away."""
    while person.merged_into_id:
        person = Person.get_by_id(person.merged_into_id)
    return person


def create_person(data):
    """Create a person from validated data; regulator ids must be free. Call in atomic()."""
    data = dict(data)
    external_ids = data.pop("external_ids", None) or {}
    check_external_ids_free(external_ids)
    data["email"] = normalise_email(data.get("email"))
    person = Person.create(**data)
    set_external_ids(person, external_ids)
    return person


def check_external_ids_free(external_ids, person_id=None):
    """Conflict if another person already holds one of these regulator ids."""
    for scheme, value in external_ids.items():
        holder = (PersonExternalId.select()
                  .where(PersonExternalId.scheme == scheme, PersonExternalId.value == value)
                  .first())
        if holder is not None and holder.person_id != person_id:
            raise Conflict(f"external_ids.{scheme} {value!r} already belongs to another "
                           "person.")
