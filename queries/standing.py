"""Gathering people's records from the database to judge compliance and expiry."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from peewee import fn

from database import db
from models import Award, Certification, Completion, Person, Requirement
from rules.compliance import (
    AwardFacts,
    CompletionFacts,
    RequirementTerms,
    check,
    current_cycle,
    evaluate,
    holds_valid,
    hours_met,
)
from rules.expiry import award_status
from rules.hours import as_hours

from .rows import plain_rows


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


class _Credit(NamedTuple):
    person_id: int
    completed_on: datetime.date
    hours: Decimal
    credits: list


class _Held(NamedTuple):
    person_id: int
    certification_id: int
    issued_on: datetime.date
    expires_on: datetime.date | None


def statuses_for(person_ids, requirements, today, agency_id=None):
    """{person_id: [RequirementStatus]} for people in one batch, from two queries; with
    `agency_id`, the people are all its current people (read by a join, not an id list).
    Only the records the rules can count are read: valid completions within a current
    cycle, valid awards of a required certification."""
    completions, awards = defaultdict(list), defaultdict(list)
    window = _counted_days(requirements, today)
    if window is not None:
        query = Completion.select(
            Completion.person, Completion.completed_on, Completion.hours, Completion.credits
        ).where(Completion.revoked_at.is_null(), Completion.completed_on.between(*window))
        for row in plain_rows(_Credit, _of(query, Completion, person_ids, agency_id)):
            completions[row.person_id].append(
                CompletionFacts(
                    row.completed_on,
                    row.hours,
                    {c["category"]: c["hours"] for c in row.credits or []},
                )
            )
    certifications = {r.certification_id for r in requirements if r.kind == "certification"}
    certifications.discard(None)
    if certifications:
        query = Award.select(
            Award.person, Award.certification, Award.issued_on, Award.expires_on
        ).where(Award.revoked_at.is_null(), Award.certification.in_(sorted(certifications)))
        for row in plain_rows(_Held, _of(query, Award, person_ids, agency_id)):
            awards[row.person_id].append(
                AwardFacts(row.certification_id, row.issued_on, row.expires_on)
            )
    return {
        pid: [evaluate(req, completions[pid], awards[pid], today) for req in requirements]
        for pid in person_ids
    }


def _of(query, model, person_ids, agency_id):
    if agency_id is None:
        return query.where(model.person.in_(person_ids))
    return query.join(Person, on=(model.person == Person.id)).where(
        Person.agency == agency_id, Person.merged_into.is_null()
    )


def _counted_days(requirements, today):
    """(first, last) day of the current cycles of the valid hours requirements, or None."""
    cycles = [
        current_cycle(r.cycle_start, r.period_months, today)
        for r in requirements
        if r.kind == "hours" and r.period_months and r.period_months >= 1
    ]
    if not cycles:
        return None
    return min(first for first, _ in cycles), max(last for _, last in cycles)


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
    """[(person row, [RequirementStatus])] for every current person of the agency, in the
    reports' order, from three queries (people, their completions, their awards)."""
    requirements = agency_requirements(agency_id)
    names = ("id", "first_name", "last_name", "employee_id")  # agency_people's columns
    people = [dict(zip(names, row, strict=True)) for row in db.execute(agency_people(agency_id))]
    ids = [person["id"] for person in people]
    statuses = statuses_for(ids, requirements, today, agency_id=agency_id)
    return [(person, statuses[person["id"]]) for person in people]


def _judge(batch, requirements, today):
    if not batch:
        return
    statuses = statuses_for([p["id"] for p in batch], requirements, today)
    for person in batch:
        yield person, statuses[person["id"]]


def agency_standings(agency_id, requirements, today):
    """[(person id, standing)] for every current person of the agency in the reports'
    order, standing as the report's `status` (compliant, not_compliant, no_requirements).

    For a report filtered by standing, which must judge everyone to list a page: the
    hours each person earned in each requirement's cycle are summed in one pass over plain
    rows (each distinct record's hours worked out once), then judged by the rules'
    hours_met and holds_valid, the very tests evaluate makes; people with the same sums
    are judged once."""
    ids = [
        row[0]
        for row in db.execute(
            Person.select(Person.id)
            .where(Person.agency == agency_id, Person.merged_into.is_null())
            .order_by(Person.last_name, Person.first_name, Person.id)
        )
    ]
    if not requirements:
        return [(pid, "no_requirements") for pid in ids]
    if not ids:
        return []
    for req in requirements:
        check(req)  # refused as evaluate refuses it for the first person
    short = set()
    hours_reqs = [r for r in requirements if r.kind == "hours"]
    if hours_reqs:
        short |= _short_of_hours(agency_id, ids, hours_reqs, today)
    for req in requirements:
        if req.kind == "certification":
            short |= set(ids) - _holding(agency_id, req, today)
    return [(pid, "not_compliant" if pid in short else "compliant") for pid in ids]


def _short_of_hours(agency_id, ids, requirements, today):
    """Ids among `ids` (the agency's current people) short of any of the hours
    requirements (checked terms)."""
    cycles = [current_cycle(r.cycle_start, r.period_months, today) for r in requirements]
    # One sum per requirement (its hours, or its category's) and per category minimum:
    # counted[i] = (first day, last day, category or None for all hours).
    counted, places = [], []
    for req, (first, last) in zip(requirements, cycles, strict=True):
        total = len(counted)
        counted.append((first, last, req.category))
        minimums = {}
        for category in sorted(req.category_hours):
            minimums[category] = len(counted)
            counted.append((first, last, category))
        places.append((req, total, minimums))
    zero = as_hours(0)

    def within(completed_on):
        """Whether a record of this day counts toward each sum."""
        if not isinstance(completed_on, datetime.date):
            completed_on = datetime.date.fromisoformat(completed_on)
        return tuple(first <= completed_on <= last for first, last, _ in counted)

    def worth(key):
        """What a record of these hours and credits (JSON) adds to each sum in its cycle."""
        hours, credits = key
        credits = {c["category"]: c["hours"] for c in _json(credits) or []}
        return tuple(
            as_hours(credits.get(category, 0)) if category else as_hours(hours)
            for _, _, category in counted
        )

    def shares(key):
        counts, values = key
        return tuple(value if count else zero for count, value in zip(counts, values, strict=True))

    days, values, known = _Known(within), _Known(worth), _Known(shares)
    summed = {}
    query = Completion.select(
        Completion.person,
        Completion.completed_on,
        Completion.hours,
        Completion.credits.cast("text"),
    ).where(
        Completion.revoked_at.is_null(),
        Completion.completed_on.between(min(c[0] for c in cycles), max(c[1] for c in cycles)),
    )
    for person_id, completed_on, hours, credits in db.execute(
        _of(query, Completion, None, agency_id)
    ):
        share = known[days[completed_on], values[hours, credits]]
        found = summed.get(person_id)
        if found is not None:
            share = tuple(map(sum, zip(found, share, strict=True)))
        summed[person_id] = share

    def short_of_any(sums):
        return not all(
            hours_met(req, sums[total], {c: sums[i] for c, i in minimums.items()})
            for req, total, minimums in places
        )

    verdicts = _Known(short_of_any)  # people with the same sums are judged once
    nothing = tuple(zero for _ in counted)
    return {pid for pid in ids if verdicts[summed.get(pid, nothing)]}


def _json(text):
    return None if text is None else json.loads(text)


def _holding(agency_id, req, today):
    """Ids of the agency's people holding a valid award of the requirement's certification."""
    query = Award.select(
        Award.person, Award.certification, Award.issued_on, Award.expires_on
    ).where(Award.revoked_at.is_null(), Award.certification == req.certification_id)
    return {
        row.person_id
        for row in plain_rows(_Held, _of(query, Award, None, agency_id))
        if holds_valid(req, [row], today)
    }


class _Known(dict):
    """Each key's value worked out once."""

    def __init__(self, work):
        super().__init__()
        self.work = work

    def __missing__(self, key):
        found = self[key] = self.work(key)
        return found


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
