"""Adding and correcting people, each change audited for the person's home agency."""

from database import in_write_transaction
from models import Agency, Award, Completion, Person, PersonExternalId, set_external_ids, utcnow
from rules.errors import RuleViolation
from rules.identity import name_only_key
from rules.people import employee_id_clash, external_ids_clash, normalise_email

from . import audit


def check_ids_free(agency_id, employee_id, external_ids, person_id=None):
    """Conflict naming the field if another person holds this employee id or a regulator id."""
    if employee_id:
        holder = (
            Person.select(Person.id)
            .where(Person.agency == agency_id, Person.employee_id == employee_id)
            .scalar()
        )
        employee_id_clash(employee_id, holder, person_id)
    if external_ids:
        held = PersonExternalId.select(
            PersonExternalId.scheme, PersonExternalId.value, PersonExternalId.person
        ).where(
            PersonExternalId.scheme.in_(list(external_ids)),
            PersonExternalId.value.in_(list(external_ids.values())),
        )
        external_ids_clash(external_ids, {(s, v): p for s, v, p in held.tuples()}, person_id)


def _audit(actor, action, person, before=None, reason=None):
    audit.record(
        actor,
        action,
        "person",
        person.id,
        before=before,
        after=audit.snapshot(person),
        reason=reason,
        agency_id=person.agency_id,
        person_agency_id=person.agency_id,
    )


@in_write_transaction
def create_person(data, actor, *, reason=None):
    """Add a person to an agency: {agency_id, first_name, last_name, email?, employee_id?,
    external_ids?}; employee and regulator ids must be free. Returns the person."""
    data = dict(data)
    external_ids = data.pop("external_ids", None) or {}
    data["email"] = normalise_email(data.get("email"))
    if not Agency.select().where(Agency.id == data["agency_id"]).exists():
        raise RuleViolation("Unknown agency.", {"agency_id": ["Unknown agency."]})
    check_ids_free(data["agency_id"], data.get("employee_id"), external_ids)
    person = Person.create(**data, name_key=name_only_key(data["first_name"], data["last_name"]))
    set_external_ids(person, external_ids)
    _audit(actor, "create", person, reason=reason)
    return person


@in_write_transaction
def update_person(person, data, actor):
    """Correct a person's agency, name, email, employee id or regulator ids."""
    data = dict(data)
    before = audit.snapshot(person)
    external_ids = data.pop("external_ids", None)
    if "email" in data:
        data["email"] = normalise_email(data["email"])
    agency_id = data.get("agency_id", person.agency_id)
    employee_id = data.get("employee_id", person.employee_id)
    check_ids_free(agency_id, employee_id, external_ids, person.id)
    for key, value in data.items():
        setattr(person, key, value)
    person.name_key = name_only_key(person.first_name, person.last_name)
    person.save()
    if external_ids is not None:
        set_external_ids(person, external_ids)
    after = audit.snapshot(person)
    if any(before.get(name) != after.get(name) for name in IDENTITY):
        _records_changed(person)
    _audit(actor, "update", person, before)
    return person


# What a person's exported records say about them.
IDENTITY = ("first_name", "last_name", "email", "employee_id", "external_ids", "agency")


def _records_changed(person):
    """A person's records say who they are: touch them, so agencies' pulls send them again."""
    now = utcnow()
    for model in (Completion, Award):
        model.update(updated_at=now).where(model.person == person.id).execute()
