"""A certificate as the public verify page shows it, found by its code or award number."""

import re

from models import Award, Completion
from rules.codes import parse_code
from rules.records import completion_status, current_award_status

# Letters, digits and the separators award numbers are printed with (HZOPS-2026-000005).
AWARD_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9./_-]{0,59}", re.ASCII)


def find_award(code, text):
    """The award with this canonical verification code or, failing that, the award whose
    printed number `text` is (spaces ignored, any case)."""
    if code is not None:
        award = Award.get_or_none(Award.verify_code == code)
        if award is not None:
            return award
    number = "".join(text.split()).upper()
    if not AWARD_NUMBER.fullmatch(number):
        return None
    return Award.get_or_none(Award.number == number)


def award_view(award):
    """An award as the public sees it: issued by the host of the class it came from, or
    recorded by the agency that keeps its certification (an earlier card)."""
    if award.offering_id:
        source, issuer = "host", award.offering.host_agency.name
    else:
        keeper = award.certification.agency
        source, issuer = "recorded", keeper.name if keeper else None
    return {
        "status": current_award_status(award),
        "kind": "award",
        "source": source,
        "person_name": award.person.full_name,
        "title": award.certification.name,
        "number": award.number,
        "issued_on": award.issued_on,
        "expires_on": award.expires_on,
        "hours": award.completion.hours if award.completion_id else None,
        "issuer": issuer,
        "provider": None,
        "approved_by": None,
    }


def completion_view(completion):
    """A completion as the public sees it: from attendance at the host's class, or outside
    training the person reported and their home agency approved."""
    if completion.external:
        source, issuer = "self_reported", completion.provider
        approved_by = completion.issuer.name if completion.issuer_id else None
        provider = completion.provider
    else:
        agency = completion.offering.host_agency if completion.offering_id else completion.issuer
        source, issuer, provider, approved_by = "host", agency.name if agency else None, None, None
    return {
        "status": completion_status(completion),
        "kind": "completion",
        "source": source,
        "person_name": completion.person.full_name,
        "title": completion.title,
        "number": None,
        "issued_on": completion.completed_on,
        "expires_on": None,
        "hours": completion.hours,
        "issuer": issuer,
        "provider": provider,
        "approved_by": approved_by,
    }


def verification(text):
    """The public view of the certificate whose verification code (any case, spaces or
    dashes, I/L read as 1 and O as 0) or award number `text` is; None if there is none."""
    code = parse_code(text)
    award = find_award(code, text)
    if award is not None:
        return award_view(award)
    completion = Completion.get_or_none(Completion.verify_code == code) if code else None
    return completion_view(completion) if completion is not None else None
