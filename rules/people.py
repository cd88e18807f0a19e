"""Finding a person before creating one: the pure decisions of walk-in matching."""

import re
import unicodedata
from dataclasses import dataclass

from .agency_names import agency_name_key, state_key
from .errors import Conflict, RuleViolation


def normalise_email(email):
    return email.strip().lower() if email else None


def normalise_name(name):
    return " ".join(name.split())


@dataclass
class WalkIn:
    """What happened to a walk-in: who they are and what had to be created for them."""

    person: object
    matched_by: str | None  # 'employee_id' | 'external_ids.<scheme>' | 'email' | None
    created_person: bool
    created_agency: object | None  # the unverified agency created for them, if any


def require_agency(data):
    """A walk-in names its agency by agency_id or by agency {name, kind, state}."""
    if data.get("agency_id") is None and not data.get("agency"):
        raise RuleViolation(
            "A walk-in belongs to an agency.",
            {
                "agency_id": [
                    "Give agency_id, or agency {name, kind, state} for an agency not yet known."
                ]
            },
        )


def under(field, violation):
    """The same violation with its errors named under `field` (e.g. the walk-in's `person`)."""
    return RuleViolation(violation.message, {field: violation.errors})


def external_ids_clash(wanted, holders, person_id=None):
    """Conflict if a regulator id wanted is held by someone else.

    holders: {(scheme, value): person_id} of the ids already stored.
    """
    for scheme, value in wanted.items():
        holder = holders.get((scheme, value))
        if holder is not None and holder != person_id:
            raise Conflict(f"external_ids.{scheme} {value!r} already belongs to another person.")


def employee_id_clash(employee_id, holder_id, person_id=None):
    """Conflict naming the field if another person of the agency holds this employee id."""
    if employee_id and holder_id is not None and holder_id != person_id:
        raise Conflict(
            f"Another person of this agency already has employee id {employee_id!r}; "
            "each employee id belongs to one person of an agency."
        )


# --- agency codes -----------------------------------------------------------------------


def name_key(name):
    """A name reduced to its letters and digits: 'Tri-County Ambulance, Inc.' and
    'tri county ambulance inc' give the same key, 'TRI-COUNTY-AMBULANCE-INC'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Za-z0-9]+", ascii_name)).upper()


CODE_LENGTH = 32


def agency_code(name):
    """A readable code from a name: 'Lakeside Vol. Fire Dept.' -> 'LAKESIDE-VOL-FIRE-DEPT'."""
    return name_key(name)[:CODE_LENGTH].strip("-") or "AGENCY"


def next_free_code(base, taken):
    """`base`, else `base-2`, `base-3`... whichever is not in `taken` (upper-cased codes)."""
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


def same_agency(name, state, recorded_name, recorded_state):
    """Whether an agency named at the door is the one on file: names agree across the usual
    abbreviations ('Millbrook PD' / 'Millbrook Police Department') and states across names
    and postal codes ('Illinois' / 'IL')."""
    key = agency_name_key(name)
    return (
        key is not None
        and key == agency_name_key(recorded_name)
        and state_key(state) == state_key(recorded_state)
    )


def create_person(data):
    """TEMPORARY (issue 6): demo.py's old import; use operations.people.create_person."""
    from operations.people import create_person as create

    return create(data, actor=None)
