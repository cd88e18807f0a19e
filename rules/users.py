"""What a user may be: the agency and person its role needs, and how long a token lives."""

import datetime

from .errors import RuleViolation

MAX_TOKEN_DAYS = 3650


def assigned_agency(role, agency_id, person_agency_id, field="agency_id"):
    """The agency a user of `role` belongs to; RuleViolation naming the field if none fits.

    A user with a person belongs to that person's agency: given no agency it is derived
    from the person; given another one it is refused. Admins need no agency.
    """
    if person_agency_id is not None and role != "admin":
        if agency_id is None:
            agency_id = person_agency_id
        elif agency_id != person_agency_id:
            raise RuleViolation(
                "A user with a person belongs to that person's agency.",
                {field: [f"Must be the person's agency ({person_agency_id})."]},
            )
    if role != "admin" and agency_id is None:
        raise RuleViolation(
            "A non-admin user belongs to an agency.",
            {"agency_id": ["Required for this role (or give person_id)."]},
        )
    return agency_id


def check_person_for_role(role, has_person):
    """Officers and instructors are people."""
    if role in ("officer", "instructor") and not has_person:
        raise RuleViolation(f"An {role} is a person.", {"person_id": ["Required for this role."]})


def token_expiry(now, expires_in_days):
    """When a token issued `now` expires (None: never)."""
    if expires_in_days is None:
        return None
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise RuleViolation(
            "Invalid token lifetime.",
            {"expires_in_days": [f"Must be 1 to {MAX_TOKEN_DAYS} days, or null for never."]},
        )
    return now + datetime.timedelta(days=expires_in_days)
