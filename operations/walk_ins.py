"""Who a walk-in is: the person and agency on file they match, or new ones made for them."""

import hashlib

from peewee import PostgresqlDatabase, fn

from database import db
from models import Agency, Person, PersonExternalId
from rules.agency_names import agency_name_key, state_key
from rules.errors import RuleViolation
from rules.identity import name_only_key
from rules.people import (
    WalkIn,
    agency_code,
    confirm_identifier_match,
    conflicting_identifiers,
    next_free_code,
    normalise_email,
    normalise_name,
    pick_by_name,
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


def serialise(*parts):
    """Wait for any other transaction deciding the same thing (a name, an agency) to commit.

    On SQLite the write transaction already holds the whole database (BEGIN IMMEDIATE). On
    PostgreSQL two walk-ins of one name would both look, find nobody and both create, so each
    first takes a transaction-scoped advisory lock on what it is about to decide: the second
    waits for the first to commit and then finds the person (or agency) the first created.
    """
    if isinstance(db.obj, PostgresqlDatabase):
        digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
        db.execute_sql(
            "SELECT pg_advisory_xact_lock(%s)", (int.from_bytes(digest, "big", signed=True),)
        )


def find_existing(agency_id, employee_id=None, external_ids=None, email=None, data=None):
    """Return (person, matched_by) for the first rule that matches, or (None, None).

    Order: same agency and employee id, then any shared regulator id, then same email.
    Tombstones of merged people lead to the person they were merged into; voided people
    match nothing. Identifiers given that lead to different people are a Conflict naming them.
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
    found = []
    for matched_by, query in candidates:
        person = query.where(Person.voided_at.is_null()).first()
        if person is not None:
            found.append((follow_merges(person), matched_by))
    conflicting_identifiers(data, [(person.id, matched_by) for person, matched_by in found])
    return found[0] if found else (None, None)


def find_by_name(agency, data):
    """The one active person of the agency with the walk-in's name, or None (Conflict if
    several). Only people whose name agrees are candidates; see rules.people.pick_by_name."""
    key = name_only_key(data["first_name"], data["last_name"])
    if not key:
        return None
    candidates = (
        Person.select(Person.id, Person.first_name, Person.last_name, Person.employee_id)
        .where(
            Person.agency == agency.id,
            Person.name_key == key,
            Person.merged_into.is_null(),
            Person.voided_at.is_null(),
            Person.active,  # someone who left the agency is not who walks in for it
        )
        .order_by(Person.id)
        .tuples()
    )
    person_id = pick_by_name(data, list(candidates))
    return Person.get_by_id(person_id) if person_id is not None else None


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
    # two walk-ins naming one new agency at once create it once (see serialise)
    serialise("walk-in-agency", agency_name_key(named["name"]), state_key(named.get("state")))
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

    A person found by an identifier must also carry the name given (Conflict otherwise, never
    revealing the name on file); with no identifier matching, the one active person of the
    agency with that name is the walk-in (matched_by "name"), several are a Conflict asking
    for an identifier, and nobody means a new person.

    `data` holds first_name, last_name and optionally email, employee_id, external_ids, and
    either agency_id or agency {name, kind, state, code?, timezone?}. An agency named by
    `agency` is created unverified only when a new person must be created in it. Runs inside
    the caller's write transaction.
    """
    agency = named_agency(data)
    if agency is not None:
        # two identical walk-ins at once: the second waits, then finds the first's person
        serialise("walk-in-name", agency.id, name_only_key(data["first_name"], data["last_name"]))
    person, matched_by = find_existing(
        agency.id if agency else None,
        employee_id=data.get("employee_id"),
        external_ids=data.get("external_ids"),
        email=data.get("email"),
        data=data,
    )
    if person is not None:
        confirm_identifier_match(data, matched_by, person.first_name, person.last_name)
        return WalkIn(person, matched_by, False, None)
    if agency is not None:
        person = find_by_name(agency, data)
        if person is not None:
            return WalkIn(person, "name", False, None)
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
