"""Finding a person before creating one: walk-ins are matched, never duplicated."""

import re
import unicodedata
from dataclasses import dataclass

from peewee import fn

from models import Agency, Person, PersonExternalId, set_external_ids

from .errors import Conflict, RuleViolation


def normalise_email(email):
    return email.strip().lower() if email else None


def find_existing(agency_id, employee_id=None, external_ids=None, email=None):
    """Return (person, matched_by) for the first rule that matches, or (None, None).

    Order: same agency and employee id, then any shared regulator id, then same email.
    Tombstones of merged people lead to the person they were merged into.
    """
    candidates = []
    if employee_id:
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
        holder = (
            PersonExternalId.select()
            .where(PersonExternalId.scheme == scheme, PersonExternalId.value == value)
            .first()
        )
        if holder is not None and holder.person_id != person_id:
            raise Conflict(f"external_ids.{scheme} {value!r} already belongs to another person.")


# --- walk-ins --------------------------------------------------------------------------


@dataclass
class WalkIn:
    """What happened to a walk-in: who they are and what had to be created for them."""

    person: Person
    matched_by: str | None  # 'employee_id' | 'external_ids.<scheme>' | 'email' | None
    created_person: bool
    created_agency: Agency | None  # the unverified agency created for them, if any


def resolve_walk_in(data, default_timezone="UTC"):
    """The person a walk-in is, created (with their agency) only if nobody matches.

    `data` holds first_name, last_name and optionally email, employee_id, external_ids,
    and either agency_id or agency {name, kind, state, code?, timezone?}. An agency named
    by `agency` is looked up (code, then name and state) and created unverified only when
    a new person must be created in it. Call in atomic().
    """
    agency = find_agency_for(data)
    person, matched_by = find_existing(
        agency.id if agency else None,
        employee_id=data.get("employee_id") if agency else None,
        external_ids=data.get("external_ids"),
        email=data.get("email"),
    )
    if person is not None:
        return WalkIn(person, matched_by, False, None)
    created_agency = None
    if agency is None:
        named = data["agency"]
        agency = created_agency = create_unverified_agency(
            named["name"],
            named["kind"],
            named.get("state"),
            timezone=named.get("timezone") or default_timezone,
            code=named.get("code"),
        )
    fields = ("first_name", "last_name", "email", "employee_id", "external_ids")
    person = create_person(
        {"agency_id": agency.id, **{key: data[key] for key in fields if key in data}}
    )
    return WalkIn(person, None, True, created_agency)


def find_agency_for(data):
    """The existing agency a walk-in names (by agency_id, or by agency), or None."""
    if data.get("agency_id") is not None:
        agency = Agency.get_or_none(Agency.id == data["agency_id"])
        if agency is None:
            raise RuleViolation("Unknown agency.", {"agency_id": ["Unknown agency."]})
        return follow_agency_merges(agency)
    named = data.get("agency")
    if not named:
        raise RuleViolation(
            "A walk-in belongs to an agency.",
            {
                "agency_id": [
                    "Give agency_id, or agency {name, kind, state} for an agency not yet known."
                ]
            },
        )
    return find_agency(named["name"], named.get("state"), named.get("code"))


def normalise_name(name):
    return " ".join(name.split())


def name_key(name):
    """A name reduced to its letters and digits: 'Tri-County Ambulance, Inc.' and
    'tri county ambulance inc' give the same key, 'TRI-COUNTY-AMBULANCE-INC'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Za-z0-9]+", ascii_name)).upper()


def _match_key(name):
    return name_key(name) or normalise_name(name).lower()


def find_agency(name, state=None, code=None):
    """An existing agency with this code, else of the same state whose name differs only
    in case, spacing or punctuation; merged agencies lead to their survivor. Or None."""
    agency = None
    if code:
        agency = Agency.get_or_none(fn.LOWER(Agency.code) == code.strip().lower())
    if agency is None:
        same_state = (
            Agency.select().where(fn.LOWER(Agency.state) == state.strip().lower())
            if state
            else Agency.select().where(Agency.state.is_null())
        )
        key = _match_key(name)
        matches = [a for a in same_state.order_by(Agency.id) if _match_key(a.name) == key]
        matches.sort(key=lambda a: a.merged_into_id is not None)
        agency = matches[0] if matches else None
    return follow_agency_merges(agency) if agency else None


def follow_agency_merges(agency):
    while agency.merged_into_id:
        agency = Agency.get_by_id(agency.merged_into_id)
    return agency


CODE_LENGTH = 32


def agency_code(name):
    """A readable code from a name: 'Lakeside Vol. Fire Dept.' -> 'LAKESIDE-VOL-FIRE-DEPT'."""
    return name_key(name)[:CODE_LENGTH].strip("-") or "AGENCY"


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
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


def create_unverified_agency(name, kind, state=None, timezone="UTC", code=None):
    """An agency first met at the door: usable at once, verified later by an admin."""
    return Agency.create(
        name=normalise_name(name),
        code=unique_agency_code(name, code),
        kind=kind,
        state=state.strip() if state else None,
        timezone=timezone,
        verified=False,
    )
