"""Finding a person before creating one: the pure decisions of walk-in matching."""

import re
import unicodedata
from dataclasses import dataclass

from .agency_names import agency_name_key, state_key
from .errors import Conflict, RuleViolation
from .identity import names_agree


def normalise_email(email):
    return email.strip().lower() if email else None


def normalise_name(name):
    return " ".join(name.split())


@dataclass
class WalkIn:
    """What happened to a walk-in: who they are and what had to be created for them."""

    person: object
    matched_by: str | None  # 'employee_id' | 'external_ids.<scheme>' | 'email' | 'name' | None
    created_person: bool
    created_agency: object | None  # the unverified agency created for them, if any


IDENTIFIER_WORDS = {"employee_id": "employee id", "email": "e-mail address"}


def identifier_words(matched_by, data=None):
    """'employee_id' -> 'employee id', 'external_ids.state_post' -> 'regulator id state_post';
    with the walk-in's `data`, followed by the value given: 'employee id P-0457'."""
    if matched_by.startswith("external_ids."):
        scheme = matched_by.removeprefix("external_ids.")
        words, value = f"regulator id {scheme}", (data or {}).get("external_ids", {}).get(scheme)
    else:
        words, value = IDENTIFIER_WORDS.get(matched_by, matched_by), (data or {}).get(matched_by)
    return f"{words} {value}" if value else words


def confirm_identifier_match(data, matched_by, recorded_first, recorded_last):
    """A walk-in found by an identifier must also carry that person's name.

    Conflict otherwise, naming the identifier that collided and never the name on file, so
    a mistyped badge credits nobody and an id cannot be probed for who holds it.
    """
    if not names_agree(data["first_name"], data["last_name"], recorded_first, recorded_last):
        given = identifier_words(matched_by, data)
        raise Conflict(
            f"The {given} belongs to someone on file under a different name; nobody was "
            f"enrolled. Check the card: correct the name or the {identifier_words(matched_by)} "
            "and send it again."
        )


def conflicting_identifiers(data, found):
    """Conflict if the identifiers given lead to different people: found = [(person_id,
    matched_by)]. Names the identifiers given, never the people they lead to."""
    if len({person_id for person_id, _ in found}) > 1:
        words = " and the ".join(identifier_words(matched_by, data) for _, matched_by in found)
        raise Conflict(
            f"The {words} belong to different people on file; nobody was enrolled. Check the "
            "card and send the identifiers of one person."
        )


def pick_by_name(data, candidates):
    """The one candidate (id, first, last, employee_id) a name-only walk-in is, or None.

    Candidates share the agency and the name key; those whose name does not agree, or whose
    employee id differs from one given, are someone else. Several left: Conflict asking for
    an identifier. None left: None (a new person).
    """
    given_employee_id = data.get("employee_id")
    same = [
        person_id
        for person_id, first, last, employee_id in candidates
        if names_agree(data["first_name"], data["last_name"], first, last)
        and not (given_employee_id and employee_id and employee_id != given_employee_id)
    ]
    if len(same) > 1:
        raise Conflict(
            f"{len(same)} people of this agency have this name; nobody was enrolled. Give "
            "their employee id, a regulator id or their e-mail address to say which."
        )
    return same[0] if same else None


CREATED_AT_DOOR = "created"


def door_uses(matched_by, created_person):
    """How one roster entry's door found its person, as door_identifiers reads it: the
    identifier matched, CREATED_AT_DOOR for a person the door created, None otherwise."""
    return CREATED_AT_DOOR if created_person else matched_by


def door_identifiers(uses, employee_id, email, external_ids):
    """The identifiers of another agency's person that those running the door may see: only
    those the door used (`uses`: matched_by values, CREATED_AT_DOOR for a person the door
    created with the employee id given there). Absent keys are not shown, never 'none'."""
    shown = {}
    for used in uses:
        if used in ("employee_id", CREATED_AT_DOOR) and employee_id:
            shown["employee_id"] = employee_id
        elif used == "email" and email:
            shown["email"] = email
        elif used and used.startswith("external_ids."):
            scheme = used.removeprefix("external_ids.")
            if scheme in (external_ids or {}):
                shown.setdefault("external_ids", {})[scheme] = external_ids[scheme]
    return shown


def check_undoable(corrected_at, wrong_person_id, right_person_id):
    """A door match is undone once, and only to move it to someone else."""
    if corrected_at is not None:
        raise Conflict("This door match was already undone; its roster entry is as corrected.")
    if right_person_id is not None and right_person_id == wrong_person_id:
        raise RuleViolation(
            "The door matched this very person.",
            {"person_id": ["Give the person the walk-in really was, not the one matched."]},
        )


def check_voidable(other_records):
    """A person the door created is voided only when it holds nothing but that entry."""
    if other_records:
        raise Conflict(
            "This person created at the door has other records since; give person_id, the "
            "person it really is, to merge it there instead of voiding it."
        )


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
