"""Gathering people's records from the database to judge compliance and expiry."""

import datetime
from collections import defaultdict

from peewee import fn

from models import Award, Certification, Completion, Person, Requirement
from rules.compliance import AwardFacts, CompletionFacts, RequirementTerms, evaluate
from rules.expiry import award_status

BATCH = 500


def agency_requirements(agency_id):
    """The agency's active requirements as rule terms."""
    return [
        RequirementTerms(
            r.id,
            r.name,
            r.kind,
            r.hours,
            r.period_months,
            r.cycle_start,
            r.category,
            r.category_hours or {},
            r.certification_id,
        )
        for r in Requirement.select()
        .where(Requirement.agency == agency_id, Requirement.active == True)  # noqa: E712
        .order_by(Requirement.id)
    ]


def statuses_for(person_ids, requirements, today):
    """{person_id: [RequirementStatus]} for people in one batch, from two queries."""
    completions, awards = defaultdict(list), defaultdict(list)
    for person_id, completed_on, hours, credits in (
        Completion.select(
            Completion.person, Completion.completed_on, Completion.hours, Completion.credits
        )
        .where(Completion.person.in_(person_ids), Completion.revoked_at.is_null())
        .tuples()
        .iterator()
    ):
        completions[person_id].append(
            CompletionFacts(completed_on, hours, {c["category"]: c["hours"] for c in credits or []})
        )
    for person_id, certification_id, issued_on, expires_on in (
        Award.select(Award.person, Award.certification, Award.issued_on, Award.expires_on)
        .where(Award.person.in_(person_ids), Award.revoked_at.is_null())
        .tuples()
        .iterator()
    ):
        awards[person_id].append(AwardFacts(certification_id, issued_on, expires_on))
    return {
        pid: [evaluate(req, completions[pid], awards[pid], today) for req in requirements]
        for pid in person_ids
    }


def agency_people(agency_id):
    """The agency's current people as rows (dicts) in the reports' order, as a query."""
    return (
        Person.select(Person.id, Person.first_name, Person.last_name, Person.employee_id)
        .where(Person.agency == agency_id, Person.merged_into.is_null())
        .order_by(Person.last_name, Person.first_name, Person.id)
        .dicts()
    )


def judged(people, requirements, today):
    """[(person row, [RequirementStatus])] for a few people rows (a page), from two queries."""
    return list(_judge(people, requirements, today))


def agency_standing(agency_id, today):
    """Yield (person row, [RequirementStatus]) for every current person of the agency."""
    requirements = agency_requirements(agency_id)
    batch = []
    for person in agency_people(agency_id).iterator():
        batch.append(person)
        if len(batch) == BATCH:
            yield from _judge(batch, requirements, today)
            batch = []
    yield from _judge(batch, requirements, today)


def _judge(batch, requirements, today):
    if not batch:
        return
    statuses = statuses_for([p["id"] for p in batch], requirements, today)
    for person in batch:
        yield person, statuses[person["id"]]


def expiring_awards(agency_id, today, within_days, include_expired=True):
    """Each person's latest award per certification that expires within the window, soonest
    first; an award superseded by a renewal is not listed."""
    later, never = Award.alias(), Award.alias()
    latest = (
        later.select(later.person, later.certification, fn.MAX(later.expires_on).alias("expires"))
        .where(later.revoked_at.is_null(), later.expires_on.is_null(False))
        .group_by(later.person, later.certification)
    )
    lifelong = never.select(never.id).where(
        never.person == Award.person,
        never.certification == Award.certification,
        never.revoked_at.is_null(),
        never.expires_on.is_null(),
    )
    horizon = today + datetime.timedelta(days=within_days)
    query = (
        Award.select(Award, Person, Certification)
        .join(Person, on=(Award.person == Person.id))
        .switch(Award)
        .join(Certification, on=(Award.certification == Certification.id))
        .switch(Award)
        .join(
            latest,
            on=(
                (latest.c.person_id == Award.person)
                & (latest.c.certification_id == Award.certification)
                & (latest.c.expires == Award.expires_on)
            ),
        )
        .where(
            Person.agency == agency_id,
            Person.merged_into.is_null(),
            Award.revoked_at.is_null(),
            Award.expires_on <= horizon,
            ~fn.EXISTS(lifelong),
        )
        .order_by(Award.expires_on, Person.last_name, Award.id)
    )
    if not include_expired:
        query = query.where(Award.expires_on >= today)
    return query


def expiry_view(award, today):
    """An expiring award as a report row."""
    return {
        "award_id": award.id,
        "person_id": award.person_id,
        "person_name": award.person.full_name,
        "employee_id": award.person.employee_id,
        "certification_id": award.certification_id,
        "certification_name": award.certification.name,
        "number": award.number,
        "issued_on": award.issued_on,
        "expires_on": award.expires_on,
        "days_left": (award.expires_on - today).days,
        "status": award_status(False, award.expires_on, today),
    }
