"""Who a walk-in is: the person and agency on file they match, or new ones made for them."""

from peewee import fn

from models import Agency, Person, PersonExternalId
from rules.errors import RuleViolation
from rules.people import (
    WalkIn,
    agency_code,
    next_free_code,
    normalise_email,
    normalise_name,
    require_agency,
    same_agency,
)

from . import audit
from .people import create_person


def follow_merges(person):
    """The surviving record for a person that may have been merged away."""
    while person.merged_into_id:
        person = Person.get_by_id(person.merged_into_id)
    return person


def follow_agency_merges(agency):
    while agency.merged_into_id:
        agency = Agency.get_by_id(agency.merged_into_id)
    return agency


def find_existing(agency_id, employee_id=None, external_ids=None, email=None):
    """Return (person, matched_by) for the first rule that matches, or (None, None).

    Order: same agency and employee id, then any shared regulator id, then same email.
    Tombstones of merged people lead to the person they were merged into.
    """
    candidates = []
    if employee_id and agency_id is not None:
        candidates.append(
            (
                "employee_id",
                Person.select().where(
                    Person.agency == agency_id, Person.employee_id == employee_id
                ),
            )
        )
    for scheme, value in (external_ids or {}).items():
        candidates.append(
            (
                f"external_ids.{scheme}",
                Person.select()
                .join(PersonExternalId)
                .where(PersonExternalId.scheme == scheme, PersonExternalId.value == value),
            )
        )
    if email:
        candidates.append(
            (
                "email",
                Person.select().where(Person.email == normalise_email(email)).order_by(Person.id),
            )
        )
    for matched_by, query in candidates:
        person = query.first()
        if person is not None:
            return follow_merges(person), matched_by
    return None, None


def find_agency(name, state=None, code=None):
    """An existing agency with this code, else one whose name and state are the same once
    abbreviations and postal codes are spelled out; merged agencies lead to their survivor."""
    agency = None
    if code:
        agency = Agency.get_or_none(fn.LOWER(Agency.code) == code.strip().lower())
    if agency is None:
        matches = [
            a
            for a in Agency.select().order_by(Agency.id)
            if same_agency(name, state, a.name, a.state)
        ]
        matches.sort(key=lambda a: a.merged_into_id is not None)
        agency = matches[0] if matches else None
    return follow_agency_merges(agency) if agency else None


def named_agency(data):
    """The existing agency a walk-in names (by agency_id, or by agency), or None."""
    require_agency(data)
    if data.get("agency_id") is not None:
        agency = Agency.get_or_none(Agency.id == data["agency_id"])
        if agency is None:
            raise RuleViolation("Unknown agency.", {"agency_id": ["Unknown agency."]})
        return follow_agency_merges(agency)
    named = data["agency"]
    return find_agency(named["name"], named.get("state"), named.get("code"))


def unique_agency_code(name, preferred=None):
    """`preferred` if free, else the code made from the name, suffixed -2, -3... if taken."""
    if (
        preferred
        and not Agency.select().where(fn.LOWER(Agency.code) == preferred.strip().lower()).exists()
    ):
        return preferred.strip()
    base = agency_code(name)
    taken = {
        code.upper()
        for (code,) in Agency.select(Agency.code)
        .where(fn.UPPER(Agency.code).startswith(base))
        .tuples()
    }
    return next_free_code(base, taken)


def create_unverified_agency(named, default_timezone, offering, actor):
    """An agency first met at the door: usable at once, verified later by an admin."""
    agency = Agency.create(
        name=normalise_name(named["name"]),
        code=unique_agency_code(named["name"], named.get("code")),
        kind=named["kind"],
        state=named["state"].strip() if named.get("state") else None,
        timezone=named.get("timezone") or default_timezone,
        verified=False,
    )
    audit.created(
        actor,
        "agency",
        agency,
        reason=f"Walk-in at offering {offering.id}; not yet verified.",
        agency_id=agency.id,
    )
    return agency


def resolve_walk_in(offering, data, actor):
    """The person a walk-in is, created (with their agency) only if nobody matches.

    `data` holds first_name, last_name and optionally email, employee_id, external_ids,
    and either agency_id or agency {name, kind, state, code?, timezone?}. An agency named
    by `agency` is created unverified only when a new person must be created in it. Runs
    inside the caller's write transaction.
    """
    agency = named_agency(data)
    person, matched_by = find_existing(
        agency.id if agency else None,
        employee_id=data.get("employee_id"),
        external_ids=data.get("external_ids"),
        email=data.get("email"),
    )
    if person is not None:
        return WalkIn(person, matched_by, False, None)
    created_agency = None
    if agency is None:
        agency = created_agency = create_unverified_agency(
            data["agency"], offering.host_agency.timezone, offering, actor
        )
    fields = ("first_name", "last_name", "email", "employee_id", "external_ids")
    person = create_person(
        {"agency_id": agency.id, **{key: data[key] for key in fields if key in data}},
        actor,
        reason=f"Walk-in at offering {offering.id}.",
    )
    return WalkIn(person, None, True, created_agency)
