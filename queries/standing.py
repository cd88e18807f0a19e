"""Gathering people's records from the database to judge compliance and expiry."""

import datetime
import json
import operator
from collections import defaultdict
from decimal import Decimal
from functools import reduce
from itertools import filterfalse
from typing import NamedTuple

from peewee import SQL, Case, PostgresqlDatabase, Select, fn

from database import db
from memo import Memo
from models import Award, Certification, Completion, Person, Requirement
from rules.compliance import (
    AwardFacts,
    RequirementTerms,
    check,
    current_cycle,
    evaluate,
    hours_status,
    standing,
)
from rules.expiry import award_status
from rules.hours import as_hours
from statements import Slot, Statement, size_class

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
        for r in REQUIREMENTS.rows(agency=agency_id)
    ]


class _Held(NamedTuple):
    person_id: int
    certification_id: int
    issued_on: datetime.date
    expires_on: datetime.date | None


def statuses_for(person_ids, requirements, today):
    """{person_id: [RequirementStatus]} for people in one batch, from two queries. Only the
    records the rules can count are read: valid completions within a current cycle, valid
    awards of a required certification.

    Each person's hours are summed per requirement cycle in one pass over plain rows
    (each distinct day and record's hours worked out once) and judged by the rules'
    hours_status, once for all the people with the same sums: those people share their
    RequirementStatus objects (and lists of them), so read them, never change them."""
    if not person_ids:
        return {}
    for req in requirements:
        check(req)  # refused as evaluate refuses it
    hours = _HoursSums([r for r in requirements if r.kind == "hours"], today)
    return _judged(person_ids, requirements, today, None, hours, hours.records_of(person_ids))


def _judged(person_ids, requirements, today, agency_id, hours, records):
    """statuses_for's answer, the people's hours records (hours.records') read; with
    `agency_id`, the people are all its current people (awards read by a join, not ids)."""
    # people whose records add the same shares are judged once
    judged = Memo(hours.statuses, of_none=True)
    return _with_awards(
        person_ids,
        requirements,
        today,
        agency_id,
        lambda pid: judged[tuple(records.get(pid, ()))],
    )


def _with_awards(person_ids, requirements, today, agency_id, hours_of):
    """{person_id: [RequirementStatus]}, each person's hours statuses `hours_of(pid)` (people
    alike given the same list) and their awards judged against the certifications."""
    awards = defaultdict(list)
    certifications = {r.certification_id for r in requirements if r.kind == "certification"}
    if certifications:
        query = Award.select(
            Award.person, Award.certification, Award.issued_on, Award.expires_on
        ).where(Award.revoked_at.is_null(), Award.certification.in_(sorted(certifications)))
        for row in plain_rows(_Held, _of(query, Award, person_ids, agency_id)):
            awards[row.person_id].append(
                AwardFacts(row.certification_id, row.issued_on, row.expires_on)
            )
    if not certifications:  # all hours: those people share one list
        return {pid: hours_of(pid) for pid in person_ids}
    found = {}
    for pid in person_ids:
        hours_statuses = iter(hours_of(pid))
        found[pid] = [
            next(hours_statuses) if req.kind == "hours" else evaluate(req, (), awards[pid], today)
            for req in requirements
        ]
    return found


class _HoursSums:
    """Each person's hours in the current cycles of hours requirements (checked terms), as
    a tuple of sums: per requirement, its hours (or its category's), then one per category
    minimum; and the statuses the rules give for such a tuple."""

    def __init__(self, requirements, today):
        self.requirements, self.today = requirements, today
        self.counted, self.places = [], []  # counted[i]: (first day, last day, category)
        for req in requirements:
            first, last = current_cycle(req.cycle_start, req.period_months, today)
            total = len(self.counted)
            self.counted.append((first, last, req.category))
            minimums = {}
            for category in sorted(req.category_hours):
                minimums[category] = len(self.counted)
                self.counted.append((first, last, category))
            self.places.append((req, total, minimums))
        self.zero = as_hours(0)
        self.nothing = tuple(self.zero for _ in self.counted)
        self.shares = []  # what a kind of record adds to each sum
        # a record's credits are read (as JSON text) only when a sum counts a category
        self.counts_credits = any(category for _, _, category in self.counted)

    def bounds(self):
        """(first day, last day) of the records the sums can count (None: no hours to sum)."""
        if not self.counted:
            return None
        return min(first for first, _, _ in self.counted), max(last for _, last, _ in self.counted)

    def records_of(self, person_ids):
        """records() of these people's completions."""
        if not self.counted:
            return {}
        first, last = self.bounds()
        shape = (self.counts_credits, size_class(len(person_ids)))
        return self.records(RECORDS.cursor(*shape, first=first, last=last, people=person_ids))

    def records(self, rows):
        """{person_id: [share]} from rows (person id, completed_on, hours, credits as JSON
        text; a person without records once, with completed_on None), each record as the
        index of what it adds to each sum in self.shares (records alike share an index);
        the people in the order of the rows."""
        days, values = Memo(self._within, of_none=True), Memo(self._worth, of_none=True)
        shares = {}  # share: its index in self.shares

        def share(key):
            counts, hours, credits = key
            found = tuple(
                value if count else self.zero
                for count, value in zip(counts, values[hours, credits], strict=True)
            )
            if found not in shares:
                shares[found] = len(self.shares)
                self.shares.append(found)
            return shares[found]

        # Each distinct day and (hours, credits) worked out once, and each kind of record
        # (which sums its day counts toward, its hours and credits) once.
        kinds = Memo(share, of_none=True)
        found = {}
        for person_id, completed_on, hours, credits in rows:
            added = found.get(person_id)
            if added is None:
                added = found[person_id] = []
            if completed_on is not None:
                added.append(kinds[days[completed_on], hours, credits])
        return found

    def statuses(self, shares):
        """[RequirementStatus] of each hours requirement for a person whose counted records
        add these shares (indexes in self.shares)."""
        sums = self.nothing
        for index in shares:
            sums = tuple(map(sum, zip(sums, self.shares[index], strict=True)))
        return self.judged(sums)

    def judged(self, sums):
        """[RequirementStatus] of each hours requirement for a person with these sums."""
        return [
            hours_status(req, sums[total], {c: sums[i] for c, i in minimums.items()}, self.today)
            for req, total, minimums in self.places
        ]

    def of_agency(self, agency_id):
        """(keyed, default, statuses): {person id: key} of the agency's people with counted
        records (it may hold others too), the key of everyone else, and {key: [RequirementStatus]
        of each hours requirement} (worked out on first use); people alike share a key, so
        each kind of person is judged once. Without category sums the database sums each
        person's hours per cycle (in hundredths, as as_hours counts each record), so Python
        sees a tuple per person with records, not a row per record."""
        if not self.counted:
            return {}, None, {None: []}  # one list for everyone, as for people alike
        if self.counts_credits:
            records = self.records(AGENCY_COUNTED.cursor(agency=agency_id, **self._window()))
            keyed = {pid: tuple(shares) for pid, shares in records.items()}
            return keyed, (), Memo(self.statuses, of_none=True)
        # each distinct cycle summed once, tested only on the edges it does not share with
        # the counted days (one as wide as all of them needs no test)
        first_day, last_day = self.bounds()
        windows = list(dict.fromkeys((first, last) for first, last, _ in self.counted))
        shape = tuple((first != first_day, last != last_day) for first, last in windows)
        rows = AGENCY_SUMS.cursor(*shape, agency=agency_id, sums=windows, **self._window())
        keyed = {row[0]: row[1:] for row in rows.fetchall()}
        place = [windows.index((first, last)) for first, last, _ in self.counted]
        statuses = Memo(
            lambda cents: self.judged(
                tuple(as_hours(Decimal(str(cents[i])).scaleb(-2)) for i in place)
            ),
            of_none=True,
        )
        return keyed, (0,) * len(windows), statuses

    def _window(self):
        first, last = self.bounds()
        return {"first": first, "last": last}

    def _within(self, completed_on):
        """Whether a record of this day (the driver's date, or SQLite's text) counts toward
        each sum."""
        if not isinstance(completed_on, datetime.date):
            completed_on = datetime.date.fromisoformat(completed_on)
        return tuple(first <= completed_on <= last for first, last, _ in self.counted)

    def _worth(self, key):
        """What a record of these hours and credits (JSON text) adds to each sum in its
        cycle, as evaluate counts a CompletionFacts of it."""
        hours, credits = key
        credits = {c["category"]: c["hours"] for c in _json(credits) or []}
        return tuple(
            as_hours(credits.get(category, 0)) if category else as_hours(hours)
            for _, _, category in self.counted
        )


def _json(text):
    return None if text is None else json.loads(text)


def _of(query, model, person_ids, agency_id):
    if agency_id is None:
        return query.where(model.person.in_(person_ids))
    return query.join(Person, on=(model.person == Person.id)).where(
        Person.agency == agency_id, Person.merged_into.is_null()
    )


def agency_people(agency_id):
    """The agency's current people as rows (dicts) in the reports' order, as a query."""
    return (
        Person.select(*REPORTED)
        .where(Person.agency == agency_id, Person.merged_into.is_null())
        .order_by(Person.last_name, Person.first_name, Person.id)
        .dicts()
    )


def agency_people_count(agency_id):
    """How many rows agency_people holds."""
    return AGENCY_PEOPLE_COUNT.rows(agency=agency_id)[0][0]


def people_rows(ids):
    """{id: a row as agency_people's} of the people with these ids."""
    if not ids:
        return {}
    rows = PEOPLE_ROWS.cursor(size_class(len(ids)), ids=ids).fetchall()
    # the driver's ids and texts are the model's values: dicts made here, not by peewee's
    # reader (a call per value)
    return {row[0]: dict(zip(_REPORTED_NAMES, row, strict=True)) for row in rows}


REPORTED = (Person.id, Person.first_name, Person.last_name, Person.employee_id)
_REPORTED_NAMES = [field.name for field in REPORTED]
AGENCY_PEOPLE_COUNT = Statement(
    lambda: (
        Person.select(fn.COUNT(SQL("*")))
        .where(Person.agency == Slot("agency"), Person.merged_into.is_null())
        .tuples()
    )
)
PEOPLE_ROWS = Statement(
    lambda size: Person.select(*REPORTED).where(Person.id.in_(Slot("ids", size)))
)


def judged(people, requirements, today):
    """[(person row, [RequirementStatus])] for a few people rows (a page), from two queries."""
    statuses = statuses_for([p["id"] for p in people], requirements, today)
    return [(person, statuses[person["id"]]) for person in people]


def agency_standings(agency_id, requirements, today):
    """(ids, keyed, default, statuses): every current person of the agency in the reports'
    order; {person id: key} (a person not in it has key `default`) and {key:
    [RequirementStatus]} (people alike share a key and its list): for a report filtered by
    standing, which must judge everyone to list a page. The people come from their ordered
    index, their hours from one query (summed per person and cycle by the database where
    no category counts), their awards from another."""
    ids = _agency_people_ids(agency_id)
    if not ids:
        return [], {}, None, {None: []}  # nobody to judge: nothing refused, as statuses_for
    for req in requirements:
        check(req)
    hours = _HoursSums([r for r in requirements if r.kind == "hours"], today)
    keyed, default, statuses = hours.of_agency(agency_id)
    if not any(r.kind == "certification" for r in requirements):
        return ids, keyed, default, statuses
    everyone = _with_awards(
        ids, requirements, today, agency_id, lambda pid: statuses[keyed.get(pid, default)]
    )
    return ids, {pid: pid for pid in ids}, ids[0], everyone  # each person their own key


def people_of_standing(agency_id, requirements, today, wanted):
    """(ids, statuses_of): the ids of the agency's people whose standing is `wanted`, in
    the reports' order, and statuses_of(id): their [RequirementStatus] (everyone judged,
    lean: each kind of person once, and a person only looked up in a set)."""
    ids, keyed, default, statuses = agency_standings(agency_id, requirements, today)
    kept = {key for key in {default, *keyed.values()} if standing(statuses[key]) == wanted}
    if default in kept:
        dropped = {pid for pid, key in keyed.items() if key not in kept}
        listed = list(filterfalse(dropped.__contains__, ids))
    else:
        chosen = {pid for pid, key in keyed.items() if key in kept}
        listed = list(filter(chosen.__contains__, ids))
    return listed, lambda pid: statuses[keyed.get(pid, default)]


def _counted(credits):
    """What the sums read of a completion: its person, day, hours and (when a sum counts a
    category) credits as JSON text."""
    return (
        Completion.person,
        Completion.completed_on,
        Completion.hours,
        Completion.credits.cast("text") if credits else SQL("NULL"),
    )


# The completions the sums can count: valid, within the current cycles' days.
COUNTED = Completion.revoked_at.is_null() & Completion.completed_on.between(
    Slot("first"), Slot("last")
)
# Written once per shape (peewee's SQL for these cost about as much as their reads).
REQUIREMENTS = Statement(
    lambda: (
        Requirement.select()
        .where(Requirement.agency == Slot("agency"), Requirement.active == True)  # noqa: E712
        .order_by(Requirement.id)
    )
)
RECORDS = Statement(
    lambda credits, size: Completion.select(*_counted(credits)).where(
        COUNTED, Completion.person.in_(Slot("people", size))
    )
)


def _agency_people_ids(agency_id):
    """The ids of the agency's current people, in the reports' order."""
    rows = AGENCY_PEOPLE_IDS.cursor(agency=agency_id).fetchall()
    if isinstance(db.obj, PostgresqlDatabase):
        return rows[0][0]  # one array
    return [pid for (pid,) in rows]


def _ids_in_order():
    ordered = (
        Person.select(Person.id)
        .where(Person.agency == Slot("agency"), Person.merged_into.is_null())
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    if isinstance(db.obj, PostgresqlDatabase):
        # one array, not a row an id: 2,000 ids ~1.3 -> ~0.9 ms a report
        return Select(columns=[fn.ARRAY(ordered)]).bind(db)
    return ordered.tuples()


AGENCY_PEOPLE_IDS = Statement(_ids_in_order)


def _agency_counted(*columns):
    """The counted completions of the agency's current people, as these columns."""
    return (
        Completion.select(*columns)
        .join(Person, on=(Completion.person == Person.id))
        .where(COUNTED, Person.agency == Slot("agency"), Person.merged_into.is_null())
    )


# Each counted record of the agency's people, with its credits (for category sums).
AGENCY_COUNTED = Statement(lambda: _agency_counted(*_counted(True)))
# Each person's hundredths of an hour (as as_hours rounds each record) in each window
# ("sums": [(first, last)]); `edges[i]`: whether window i starts after, and ends before,
# the counted days (each edge it shares with them needs no test). People
# merged away are summed too and never read (the caller looks up its current people): so
# the agency's people come from its own index in id order and are grouped without a sort
# (SQLite: ~2.4 -> ~2.0 ms for 2,000 people).
AGENCY_SUMS = Statement(
    lambda *edges: (
        Completion.select(Person.id, *[_hundredths(i, *e) for i, e in enumerate(edges)])
        .join(Person, on=(Completion.person == Person.id))
        .where(COUNTED, Person.agency == Slot("agency"))
        .group_by(Person.id)
        .tuples()
    )
)


def _hundredths(index, after_first, before_last):
    if isinstance(db.obj, PostgresqlDatabase):
        # numeric(8, 2) holds each record's hours as as_hours makes them: the sum of the
        # hours times 100 is exact, and half the numeric work of rounding every record
        hours, scaled = Completion.hours, lambda total: total * SQL("100")
    else:  # SQLite's REAL: each record rounded to its hundredths, as as_hours rounds it
        hours, scaled = fn.ROUND(Completion.hours * SQL("100")), lambda total: total
    tests = [Completion.completed_on >= Slot(("sums", index, 0))] if after_first else []
    if before_last:
        tests.append(Completion.completed_on <= Slot(("sums", index, 1)))
    if tests:
        hours = Case(None, [(reduce(operator.and_, tests), hours)], SQL("0"))
    # a whole number either way: as an int, a person's sums are a key hashed in a trice
    # (a tuple of Decimals cost ~1 us a person, hashed twice)
    return scaled(fn.SUM(hours)).cast("bigint")


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
