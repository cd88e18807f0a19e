"""The plain facts of a certificate, gathered from the records by one function."""

import dataclasses
import datetime
import hashlib
import zoneinfo
from decimal import Decimal

from peewee import JOIN, fn

from certificates import CertificateData
from models import (
    Agency,
    AgencyLogo,
    Award,
    Certification,
    Completion,
    Course,
    Offering,
    OfferingInstructor,
    Person,
    Session,
)
from rules.records import current_award_status
from statements import Slot, Statement

# Bumped when the layout changes, so caches holding an older rendering miss.
LAYOUT_VERSION = "2"
BATCH = 200  # records loaded at a time for a class PDF

EXTERNAL_NUMBER_LABELS = {
    "state_course": "State course number",
    "capce": "CAPCE",
    "fema": "FEMA course code",
}


def etag(data):
    """A digest of everything the certificate prints and of the layout printing it: equal
    tags mean byte-identical PDFs, so a re-download is answered 304 without rendering."""
    digest = hashlib.sha256(LAYOUT_VERSION.encode())
    digest.update(repr(dataclasses.replace(data, logo=None)).encode())
    digest.update(hashlib.sha256(data.logo or b"").digest())
    return digest.hexdigest()[:32]


def verify_url(base_url, code):
    """The public verify address a certificate's QR code carries."""
    return f"{base_url.rstrip('/')}/api/v1/verify/{code}"


def current_logo(agency_id):
    """The agency's logo in use, or None: the row of the latest upload not replaced."""
    return (
        AgencyLogo.select()
        .where(AgencyLogo.agency == agency_id, AgencyLogo.replaced_at.is_null())
        .order_by(AgencyLogo.id.desc())
        .first()
    )


def _class_facts():
    """The class's host logo in use (current_logo's content), its sessions' first and last
    start and its instructors' names in the order listed, in one statement: a row per
    instructor (one, its names empty, for a class without)."""
    logo = (
        AgencyLogo.select(AgencyLogo.content)
        .where(AgencyLogo.agency == Offering.host_agency, AgencyLogo.replaced_at.is_null())
        .order_by(AgencyLogo.id.desc())
        .limit(1)
    )
    first, last = (
        Session.select(function(Session.starts_at)).where(Session.offering == Offering.id)
        for function in (fn.MIN, fn.MAX)
    )
    return (
        Offering.select(
            logo, first, last, OfferingInstructor.id, Person.first_name, Person.last_name
        )
        .join(OfferingInstructor, JOIN.LEFT_OUTER, on=(OfferingInstructor.offering == Offering.id))
        .join(Person, JOIN.LEFT_OUTER, on=(OfferingInstructor.person == Person.id))
        .where(Offering.id == Slot("offering"))
        .order_by(OfferingInstructor.id)
        .tuples()
    )


# Read by every download (a 304 too): its SQL written once.
CLASS_FACTS = Statement(_class_facts)


def _local_date(start, zone):
    if start is None:
        return None
    start = Session.starts_at.python_value(start)  # a subquery's value comes unconverted
    return start.replace(tzinfo=datetime.UTC).astimezone(zone).date()


def offering_facts(offering):
    """What every certificate of one class prints alike: read once for a class PDF."""
    if offering is None:
        return {"host_agency": "", "instructors": ()}
    host = offering.host_agency
    rows = CLASS_FACTS.rows(offering=offering.id)
    logo, first, last = rows[0][:3]
    zone = zoneinfo.ZoneInfo(host.timezone)
    return {
        "host_agency": host.name,
        "page_size": host.paper_size,
        "logo": bytes(logo) if logo is not None else None,
        "course": offering.course,
        "first_date": _local_date(first, zone),
        "last_date": _local_date(last, zone),
        # Person.full_name, from the two columns alone
        "instructors": tuple(
            f"{given} {family}" for *_, listed, given, family in rows if listed is not None
        ),
    }


def certificate_data(record, verify_base_url, facts=None):
    """A completion's or an award's certificate, as the renderer takes it; `facts` are the
    offering's (offering_facts), given when printing many of one class."""
    completion = record if isinstance(record, Completion) else record.completion
    facts = dict(offering_facts(record.offering) if facts is None else facts)
    course = facts.pop("course", None) or (completion.course if completion else None)
    on = completion.completed_on if completion else record.issued_on
    facts["first_date"] = facts.get("first_date") or on
    facts["last_date"] = facts.get("last_date") or on
    common = {
        **facts,
        "person_name": record.person.full_name,
        "course_code": course.code if course else "",
        "course_title": course.title if course else (completion.title if completion else ""),
        "hours": completion.hours if completion else Decimal("0"),
        "verify_code": record.verify_code,
        "verify_url": verify_url(verify_base_url, record.verify_code),
        "issued_on": on,
        "credits": tuple(
            (credit["category"], Decimal(str(credit["hours"])))
            for credit in (completion.credits if completion else [])
        ),
        "external_numbers": {
            EXTERNAL_NUMBER_LABELS.get(key, key.replace("_", " ").capitalize()): str(value)
            for key, value in ((course.external_ids or {}) if course else {}).items()
        },
    }
    if isinstance(record, Award):
        return CertificateData(
            kind="award",
            title=f"{record.certification.name} Certification",
            award_number=record.number,
            certification=record.certification.name,
            expires_on=record.expires_on,
            status=current_award_status(record),
            **common,
        )
    return CertificateData(kind="completion", title="Certificate of Completion", **common)


# The columns of a record's class that its certificate prints (peewee writes the SQL of
# each column selected: a certificate's whole rows of five tables cost more than its query)
PRINTED = (
    Offering.id,
    Offering.course,
    Offering.host_agency,
    Agency.id,
    Agency.name,
    Agency.paper_size,
    Agency.timezone,
    Course.id,
    Course.code,
    Course.title,
    Course.external_ids,
)


def with_its_class(query, model):
    """A query of completions or awards (policy.records_query / awards_query: person
    joined) that also brings each record's offering, host agency and course (and an
    award's completion), so printing one certificate reads no row twice."""
    query = (
        query.select_extend(*PRINTED)
        .switch(model)
        .join(Offering, JOIN.LEFT_OUTER, on=(model.offering == Offering.id), attr="offering")
        .join(Agency, JOIN.LEFT_OUTER, on=(Offering.host_agency == Agency.id), attr="host_agency")
        .switch(Offering)
        .join(Course, JOIN.LEFT_OUTER, on=(Offering.course == Course.id), attr="course")
    )
    if model is Award:
        query = (
            query.select_extend(Completion)
            .switch(Award)
            .join(Completion, JOIN.LEFT_OUTER, on=(Award.completion == Completion.id))
        )
    return query


def _records(model, offering):
    """The offering's valid records of one kind in roster order, loaded a batch at a time:
    only the ids are held for the whole class."""
    ids = [
        row[0]
        for row in model.select(model.id)
        .join(Person, on=(model.person == Person.id))
        .where(model.offering == offering.id, model.revoked_at.is_null())
        .order_by(Person.last_name, Person.first_name, model.id)
        .tuples()
    ]
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        query = model.select(model, Person).join(Person, on=(model.person == Person.id))
        if model is Award:
            # The completion behind each award gives its hours and credits.
            query = (
                query.select_extend(Certification, Completion)
                .switch(Award)
                .join(Certification, on=(Award.certification == Certification.id))
                .switch(Award)
                .join(Completion, on=(Award.completion == Completion.id), join_type=JOIN.LEFT_OUTER)
            )
        by_id = {record.id: record for record in query.where(model.id.in_(batch))}
        yield from (by_id[record_id] for record_id in batch)


def offering_records(offering):
    """The offering's valid completions, then its valid awards, each in roster order."""
    yield from _records(Completion, offering)
    yield from _records(Award, offering)


def offering_certificates(offering, verify_base_url, records):
    """The certificates of `records` (from offering_records), the class's facts read once."""
    facts = offering_facts(offering)
    for record in records:
        yield certificate_data(record, verify_base_url, facts)
