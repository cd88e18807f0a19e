"""What makes a course's terms sound: credits within its hours, awards it may give."""

from .errors import RuleViolation
from .hours import as_hours


def check_course(sent, current=None, *, host_known=True, keepers=None):
    """Check a course as it would be stored: `current` (a viewed course) changed by `sent`.

    `host_known`: whether a host agency sent exists; `keepers`: {certification id: the
    agency keeping it (None: shared)} for the certifications that exist. Errors name what
    was sent: an unknown host agency; an award of a certification that is unknown or kept
    by another agency (a course awards shared ones or its host's); a credit above the
    course's hours.
    """
    keepers = keepers or {}

    def term(name):
        return sent[name] if name in sent else getattr(current, name)

    errors = {}
    host_agency_id = term("host_agency_id")
    if "host_agency_id" in sent and not host_known:
        errors["host_agency_id"] = ["Unknown agency."]
    for index, award in enumerate(sent.get("awards") or ()):
        certification_id = award["certification_id"]
        if certification_id not in keepers:
            problem = "Unknown certification."
        elif keepers[certification_id] not in (None, host_agency_id):
            problem = (
                "Kept by another agency: a course may award only shared "
                "certifications or its host's."
            )
        else:
            continue
        errors.setdefault("awards", {})[str(index)] = {"certification_id": [problem]}
    hours = as_hours(term("hours"))
    for index, credit in enumerate(term("credits")):
        if as_hours(credit["hours"]) <= hours:
            continue
        if "credits" in sent:
            errors.setdefault("credits", {})[str(index)] = {
                "hours": ["More than the course's hours."]
            }
        else:
            errors.setdefault("hours", []).append(
                f"Less than the {as_hours(credit['hours'])} hours of {credit['category']}."
            )
    if errors:
        raise RuleViolation("The course's terms are invalid.", errors)
