"""The plain facts of a certificate, gathered from the records by one function."""

import datetime
import hashlib
import zoneinfo
from decimal import Decimal

from certificates import CertificateData
from models import Award, Completion, OfferingInstructor, Person, Session

# Bumped when the layout changes, so caches holding an older rendering miss.
LAYOUT_VERSION = "1"

EXTERNAL_NUMBER_LABELS = {
    "state_course": "State course number",
    "capce": "CAPCE",
    "fema": "FEMA course code",
}


def etag(record):
    """What a certificate's PDF depends on, so a re-download can be answered 304 unread."""
    parts = [
        LAYOUT_VERSION,
        type(record).__name__,
        record.id,
        record.updated_at,
        record.person.updated_at,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _local_dates(offering):
    zone = zoneinfo.ZoneInfo(offering.host_agency.timezone)
    days = [
        start.replace(tzinfo=datetime.UTC).astimezone(zone).date()
        for (start,) in Session.select(Session.starts_at)
        .where(Session.offering == offering.id)
        .order_by(Session.starts_at)
        .tuples()
    ]
    return (days[0], days[-1]) if days else (None, None)


def _instructors(offering):
    return tuple(
        person.full_name
        for person in Person.select()
        .join(OfferingInstructor, on=(OfferingInstructor.person == Person.id))
        .where(OfferingInstructor.offering == offering.id)
        .order_by(OfferingInstructor.id)
    )


def certificate_data(record, verify_base_url):
    """A completion's or an award's certificate, as the renderer takes it."""
    completion = record if isinstance(record, Completion) else record.completion
    offering = record.offering
    course = offering.course if offering else (completion.course if completion else None)
    first, last = _local_dates(offering) if offering else (None, None)
    on = completion.completed_on if completion else record.issued_on
    common = {
        "host_agency": offering.host_agency.name if offering else "",
        "person_name": record.person.full_name,
        "course_code": course.code if course else "",
        "course_title": course.title if course else (completion.title if completion else ""),
        "first_date": first or on,
        "last_date": last or on,
        "hours": completion.hours if completion else Decimal("0"),
        "verify_code": record.verify_code,
        "verify_url": f"{verify_base_url.rstrip('/')}/api/v1/verify/{record.verify_code}",
        "issued_on": on,
        "credits": tuple(
            (credit["category"], Decimal(str(credit["hours"])))
            for credit in (completion.credits if completion else [])
        ),
        "external_numbers": {
            EXTERNAL_NUMBER_LABELS.get(key, key.replace("_", " ").capitalize()): str(value)
            for key, value in ((course.external_ids or {}) if course else {}).items()
        },
        "instructors": _instructors(offering) if offering else (),
    }
    if isinstance(record, Award):
        return CertificateData(
            kind="award",
            title=f"{record.certification.name} Certification",
            award_number=record.number,
            certification=record.certification.name,
            expires_on=record.expires_on,
            **common,
        )
    return CertificateData(kind="completion", title="Certificate of Completion", **common)


def offering_records(offering):
    """The offering's valid completions, then its valid awards, in roster order."""
    for model in (Completion, Award):
        query = (
            model.select()
            .join(Person, on=(model.person == Person.id))
            .where(model.offering == offering.id, model.revoked_at.is_null())
            .order_by(Person.last_name, Person.first_name, model.id)
        )
        yield from query.iterator()
