"""The plain facts of a certificate, gathered from the records by one function."""

import dataclasses
import datetime
import functools
import hashlib
import json
import zoneinfo
from decimal import Decimal

from peewee import JOIN, PostgresqlDatabase, Select, fn

from certificates import CertificateData
from database import db
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
    digest.update(_digest(data.logo or b""))
    return digest.hexdigest()[:32]


@functools.lru_cache(maxsize=16)
def _digest(logo):
    # logo_content hands every certificate of a logo the same bytes, whose hash Python
    # keeps: a hit costs nothing, where hashing up to 512 KB a download did.
    return hashlib.sha256(logo).digest()


@functools.lru_cache(maxsize=16)
def logo_content(sha256):
    """The bytes of the uploaded logo with this digest (hex): a logo's bytes never change,
    so each worker reads them once, not on every download and 304."""
    return bytes(
        AgencyLogo.select(AgencyLogo.content).where(AgencyLogo.sha256 == sha256).limit(1).scalar()
    )


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


def _logo():
    """The digest of the logo in use of the class's host (current_logo's), its bytes
    read by logo_content."""
    return (
        AgencyLogo.select(AgencyLogo.sha256)
        .where(AgencyLogo.agency == Offering.host_agency, AgencyLogo.replaced_at.is_null())
        .order_by(AgencyLogo.id.desc())
        .limit(1)
    )


def _session_start(function):
    """The first (fn.MIN) or last (fn.MAX) start of the class's sessions."""
    return Session.select(function(Session.starts_at)).where(Session.offering == Offering.id)


def _instructor_names():
    """The names of the class's instructors in the order listed, as one JSON array
    (Person.full_name, from the two columns alone)."""
    name = Person.first_name.concat(" ").concat(Person.last_name)
    listed = (
        OfferingInstructor.select(name.alias("name"))
        .join(Person, on=(OfferingInstructor.person == Person.id))
        .where(OfferingInstructor.offering == Offering.id)
    )
    if isinstance(db.obj, PostgresqlDatabase):
        return listed.select(fn.json_agg(name).order_by(OfferingInstructor.id))
    # SQLite before 3.44 orders no aggregate's input: it aggregates an ordered subquery's
    # rows in that order.
    ordered = listed.order_by(OfferingInstructor.id).alias("listed")
    return Select([ordered], [fn.json_group_array(ordered.c.name)])


def _class_columns():
    """The facts of a record's class that no column of its own gives, as columns named
    CLASS_COLUMNS: correlated on Offering, so any query joining the offering can bring them."""
    found = (_logo(), _session_start(fn.MIN), _session_start(fn.MAX), _instructor_names())
    return [column.alias(name) for column, name in zip(found, CLASS_COLUMNS, strict=True)]


CLASS_COLUMNS = ("class_logo", "class_first", "class_last", "class_instructors")

# A class PDF reads its class's facts once: its SQL written once.
CLASS_FACTS = Statement(
    lambda: Offering.select(*_class_columns()).where(Offering.id == Slot("offering")).tuples()
)


def _local_date(start, zone):
    if start is None:
        return None
    start = Session.starts_at.python_value(start)  # a subquery's value comes unconverted
    return start.replace(tzinfo=datetime.UTC).astimezone(zone).date()


def offering_facts(offering, brought=None):
    """What every certificate of one class prints alike: read once for a class PDF;
    `brought` are the CLASS_COLUMNS values a record read by with_its_class came with."""
    if offering is None:
        return {"host_agency": "", "instructors": ()}
    host = offering.host_agency
    logo, first, last, names = brought or CLASS_FACTS.rows(offering=offering.id)[0]
    zone = zoneinfo.ZoneInfo(host.timezone)
    return {
        "host_agency": host.name,
        "page_size": host.paper_size,
        "logo": logo_content(logo) if logo is not None else None,
        "course": offering.course,
        "first_date": _local_date(first, zone),
        "last_date": _local_date(last, zone),
        # PostgreSQL's driver decodes JSON itself; none listed is its NULL, SQLite's []
        "instructors": tuple(json.loads(names) if isinstance(names, str) else names or ()),
    }


def _brought(record):
    """The CLASS_COLUMNS values `record` was read with (with_its_class), else None."""
    values = [getattr(record, name, _MISSING) for name in CLASS_COLUMNS]
    return None if _MISSING in values else values


_MISSING = object()


def certificate_data(record, verify_base_url, facts=None):
    """A completion's or an award's certificate, as the renderer takes it; `facts` are the
    offering's (offering_facts), given when printing many of one class."""
    completion = record if isinstance(record, Completion) else record.completion
    if facts is None:
        facts = offering_facts(record.offering, _brought(record))
    facts = dict(facts)
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
    award's completion) and its class's facts (CLASS_COLUMNS), so printing one
    certificate is this one statement."""
    query = (
        query.select_extend(*PRINTED, *_class_columns())
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
