"""Closing an offering: evaluate every enrolled person, issue completions and awards.

Closing is repeatable after it is reopened: a person whose outcome is unchanged keeps
the records already issued; a changed outcome revokes the old record with a reason and
issues a new one, so no duplicate valid record ever exists.
"""

import datetime
import zoneinfo

from peewee import fn

from database import in_write_transaction
from models import (
    Attempt,
    Attendance,
    Award,
    Certification,
    Completion,
    CourseAward,
    CourseCredit,
    Person,
    Result,
    RosterEntry,
    Session,
    utcnow,
)
from queries.attendance import open_stays
from rules import clock
from rules.attendance import open_stays_message
from rules.codes import award_number, new_verify_code
from rules.completion import AwardTerms, CourseTerms, evaluate, required_hours
from rules.errors import Conflict
from rules.expiry import renewed_expiry
from rules.hours import as_hours, hours_from_minutes, stored_credits

from . import audit
from .bulk import insert_rows
from .events import batched as batched_events
from .events import record_event
from .ids import reserve_ids
from .offering_lock import claim_open
from .records import revoke


def course_terms(course):
    """The course's completion and award conditions as plain rule terms."""
    return CourseTerms(
        hours=course.hours,
        min_attendance_pct=course.min_attendance_pct,
        requires_pass=course.requires_pass,
        allows_partial=course.allows_partial,
        credits=[(c.category, c.hours) for c in course.credit_rows.order_by(CourseCredit.id)],
        awards=[
            AwardTerms(a.certification_id, a.min_hours, a.requires_pass)
            for a in course.award_rows.order_by(CourseAward.id)
        ],
    )


def local_end_date(offering):
    """The date, where the host agency is, on which the offering's last session ended."""
    last_end = Session.select(fn.MAX(Session.ends_at)).where(Session.offering == offering).scalar()
    if isinstance(last_end, str):  # SQLite hands aggregates back as text
        last_end = datetime.datetime.fromisoformat(last_end)
    zone = zoneinfo.ZoneInfo(offering.host_agency.timezone)
    return last_end.replace(tzinfo=datetime.UTC).astimezone(zone).date()


@in_write_transaction
def close_offering(offering, actor):
    """Lock the offering and settle each person's records, in one transaction."""
    on = local_end_date(offering)
    if on > clock.today(offering.host_agency.timezone):
        raise Conflict(
            f"The offering's last session is on {on.isoformat()}; close it once it has ended."
        )
    before = audit.snapshot(offering)
    claim_open(offering)
    stays = open_stays(offering)
    if stays:  # each is credited only once the instructor closes it
        raise Conflict(open_stays_message(stays))
    offering.status, offering.closed_at = "closed", utcnow()
    offering.save()
    terms = course_terms(offering.course)
    enrolled = [
        row[0]
        for row in RosterEntry.select(RosterEntry.person)
        .where(RosterEntry.offering == offering, RosterEntry.status == "enrolled")
        .order_by(RosterEntry.id)
        .tuples()
    ]
    minutes = dict(
        Attendance.select(Attendance.person, fn.SUM(Attendance.minutes))
        .where(Attendance.offering == offering)
        .group_by(Attendance.person)
        .tuples()
    )
    results = {r.person_id: r for r in Result.select().where(Result.offering == offering)}
    with audit.batched(), batched_events():
        outcomes = _settle(offering, terms, enrolled, minutes, results, on, actor)
        audit.record(
            actor,
            "close",
            "offering",
            offering.id,
            before=before,
            after=audit.snapshot(offering, outcomes=outcomes),
            agency_id=offering.host_agency_id,
        )
    return outcomes


def _settle(offering, terms, enrolled, minutes, results, on, actor):
    """Settle each enrolled person's records and attempt, and revoke the completions of
    those no longer enrolled; the outcomes, one per enrolled person."""
    known = Known.load(offering, terms)
    outcomes = []
    for person_id in enrolled:
        result = results.get(person_id)
        outcome = evaluate(
            terms, int(minutes.get(person_id) or 0), result.passed if result else None
        )
        if person_id in known.completions_revoked_by_hand:
            outcomes.append(
                _outcome(
                    person_id,
                    outcome,
                    None,
                    [],
                    ["its completion of this offering was revoked by hand; not issued again"],
                )
            )
            continue
        completion = settle_completion(offering, person_id, outcome, result, on, actor, known)
        award_ids = settle_awards(
            offering, person_id, completion, outcome.certification_ids, on, actor, known
        )
        outcomes.append(_outcome(person_id, outcome, completion, award_ids))
    attended = {pid: hours_from_minutes(int(m or 0)) for pid, m in minutes.items()}
    settle_attempts(offering, outcomes, attended, required_hours(terms), enrolled, actor, known)
    for completion in known.valid_completions_of_others(enrolled):
        revoke(completion, "Re-closed: no longer on the roster.", actor, on_close=True)
    known.flush()
    return outcomes


class Known:
    """What closing reads about the class's people, read once for the whole class (a
    handful of queries, not several per person): the people themselves, their valid
    completions of this offering and those revoked by hand, their valid awards of this
    offering and of the course's certifications (the awards a new one renews), the awards
    revoked by hand, the certifications and the attempts. Records carry their person,
    offering and certification, so auditing and events read nothing more."""

    def __init__(self, offering):
        self.offering = offering
        self.people = {}
        self.valid = []  # valid completions of this offering
        self.completions = {}  # person id -> their valid completion of this offering
        self.completions_revoked_by_hand = set()
        self.awards = {}  # person id -> valid awards (this offering's, or renewable ones)
        self.awards_revoked_by_hand = set()  # (person id, certification id)
        self.certifications = {}
        self.attempts = {}
        self.ids = {}  # model -> ids reserved for its new rows, not yet given
        self.pending = {}  # model -> new records not yet written

    def new(self, model, **fields):
        """A new record with its id given now; written with the others at the next flush
        (closing a class creates hundreds of each kind: a few INSERTs, not one each)."""
        if not self.ids.get(model):
            self.flush()  # SQLite's next ids follow the rows written
            self.ids[model] = list(reversed(reserve_ids(model, max(len(self.people), 1))))
        record = model(id=self.ids[model].pop(), **fields)
        self.pending.setdefault(model, []).append(record)
        return record

    def flush(self):
        """Write the new records; before any change that refers to one of them."""
        for model in (Completion, Award, Attempt):
            insert_rows(model, [record.__data__ for record in self.pending.pop(model, [])])

    @classmethod
    def load(cls, offering, terms):
        known = cls(offering)
        on_roster = RosterEntry.select(RosterEntry.person).where(RosterEntry.offering == offering)
        # one list of ids (a UNION), so each person is found by id: three INs OR'ed made
        # PostgreSQL read every person in the state
        ever = (
            on_roster
            | Attempt.select(Attempt.person).where(Attempt.offering == offering)
            | Completion.select(Completion.person).where(Completion.offering == offering)
        )
        known.people = {person.id: person for person in Person.select().where(Person.id.in_(ever))}
        for completion in (
            Completion.select().where(Completion.offering == offering).order_by(Completion.id)
        ):
            if completion.revoked_at is None:
                known.valid.append(known.attach(completion))
                known.completions.setdefault(completion.person_id, completion)
            elif not completion.revoked_on_close:
                known.completions_revoked_by_hand.add(completion.person_id)
        earned = {award.certification_id for award in terms.awards}
        for award in (
            Award.select()
            .where(
                Award.person.in_(on_roster),
                # "+ 0": found through the class's people, never through every award of a
                # certification (SQLite would otherwise read all of them in the state)
                (Award.offering == offering) | (Award.certification + 0).in_(earned or [0]),
            )
            .order_by(Award.id)
        ):
            if award.revoked_at is None:
                known.awards.setdefault(award.person_id, []).append(award)
            elif award.offering_id == offering.id and not award.revoked_on_close:
                known.awards_revoked_by_hand.add((award.person_id, award.certification_id))
        wanted = earned | {a.certification_id for held in known.awards.values() for a in held}
        known.certifications = {
            c.id: c for c in Certification.select().where(Certification.id.in_(wanted or [0]))
        }
        for held in known.awards.values():
            for award in held:
                known.attach(award)
        known.attempts = {
            attempt.person_id: known.attach(attempt)
            for attempt in Attempt.select().where(Attempt.offering == offering)
        }
        return known

    def attach(self, record):
        """`record` with its person, this offering and its certification already at hand."""
        person = self.people.get(record.person_id)
        if person is not None:
            record.person = person
        if getattr(record, "offering_id", None) == self.offering.id:
            record.offering = self.offering
        if isinstance(record, Award) and record.certification_id in self.certifications:
            record.certification = self.certifications[record.certification_id]
        return record

    def valid_completions_of_others(self, enrolled):
        """The valid completions of this offering held by people no longer enrolled."""
        staying = set(enrolled)
        return [c for c in self.valid if c.person_id not in staying and c.revoked_at is None]

    def awards_revoked_with(self, completion):
        """Mark the awards a completion's revocation just revoked with it."""
        for award in self.awards.get(completion.person_id, ()):
            if award.revoked_at is None and award.completion_id == completion.id:
                award.revoked_at = completion.revoked_at

    def renewed(self, person_id, certification_id):
        """The person's valid award of the certification that a new one renews: the one
        expiring last (one that never expires first), the latest among equals."""
        held = [
            award
            for award in self.awards.get(person_id, ())
            if award.certification_id == certification_id and award.revoked_at is None
        ]
        return max(
            held,
            key=lambda a: (a.expires_on is None, a.expires_on or datetime.date.min, a.id),
            default=None,
        )


ATTEMPT_OUTCOME = {"complete": "completed", "partial": "partial", "none": "not_completed"}


def settle_attempts(offering, outcomes, attended, required, enrolled, actor, known):
    """Keep what the close concluded for each rostered person, earned or not, so the home
    agency sees it too; someone no longer on the roster keeps theirs, marked as such."""
    known.flush()  # the completions attempts refer to
    current = known.attempts
    for outcome in outcomes:
        person_id = outcome["person_id"]
        values = {
            "outcome": ATTEMPT_OUTCOME.get(outcome["outcome"], outcome["outcome"]),
            "hours_attended": attended.get(person_id, as_hours(0)),
            "hours_required": required,
            "reasons": outcome["reasons"],
            "completion": outcome["completion_id"],
        }
        _settle_attempt(offering, person_id, current.get(person_id), values, actor, known)
    staying = set(enrolled)
    for person_id, attempt in current.items():
        if person_id not in staying and attempt.outcome != "not_completed":
            values = {
                "outcome": "not_completed",
                "reasons": ["no longer on the roster"],
                "completion": None,
            }
            _settle_attempt(offering, person_id, attempt, values, actor, known)


def _settle_attempt(offering, person_id, attempt, values, actor, known):
    if attempt is None:
        attempt = known.new(
            Attempt,
            person=known.people[person_id],
            offering=offering,
            course=offering.course_id,
            issuer=offering.host_agency_id,
            **values,
        )
        audit.created(
            actor,
            "attempt",
            attempt,
            agency_id=offering.host_agency_id,
            person_agency_id=attempt.person.agency_id,
        )
        return
    probe = Attempt(**{**attempt.__data__, **values})
    if audit.snapshot(probe, id=attempt.id) != audit.snapshot(attempt):
        audit.change(
            actor,
            "update",
            "attempt",
            attempt,
            values,
            agency_id=offering.host_agency_id,
            person_agency_id=attempt.person.agency_id,
        )


def _outcome(person_id, outcome, completion, award_ids, notes=()):
    return {
        "person_id": person_id,
        "outcome": outcome.status if completion or not notes else "withheld",
        "hours": outcome.hours,
        "reasons": outcome.reasons + list(notes),
        "completion_id": completion.id if completion else None,
        "award_ids": award_ids,
    }


def settle_completion(offering, person_id, outcome, result, on, actor, known):
    """Keep, replace or revoke the person's completion of this offering."""
    current = known.completions.get(person_id)
    if outcome.status == "none":
        if current:
            revoke(
                current,
                "Re-closed: no longer earned (" + "; ".join(outcome.reasons) + ").",
                actor,
                on_close=True,
            )
            known.awards_revoked_with(current)
        return None
    fields = {
        "hours": as_hours(outcome.hours),
        "partial": outcome.status == "partial",
        "credits": stored_credits(outcome.credits),
        "passed": result.passed if result else None,
        "score": result.score if result else None,
        "completed_on": on,
    }
    if current and _signature(current) == _signature(fields):
        return current
    if current:
        # the awards it earned are settled next, against the new completion
        revoke(
            current,
            "Re-closed: superseded by a changed outcome.",
            actor,
            with_awards=False,
            on_close=True,
        )
    completion = known.new(
        Completion,
        person=known.people[person_id],
        offering=offering,
        course=offering.course_id,
        issuer=offering.host_agency_id,
        title=offering.course.title,
        verify_code=new_verify_code(),
        **fields,
    )
    audit.created(
        actor,
        "completion",
        completion,
        agency_id=offering.host_agency_id,
        person_agency_id=completion.person.agency_id,
    )
    record_event("completion.issued", completion)
    return completion


def _signature(values):
    """What must match for a re-close to keep a completion already issued."""
    get = values.get if isinstance(values, dict) else lambda k: getattr(values, k)
    score = get("score")
    return (
        as_hours(get("hours")),
        get("partial"),
        list(get("credits")),
        get("passed"),
        None if score is None else as_hours(score),
        get("completed_on"),
    )


def settle_awards(offering, person_id, completion, certification_ids, on, actor, known):
    """Issue the certifications earned, revoke those of this offering no longer earned."""
    current = {
        a.certification_id: a
        for a in known.awards.get(person_id, ())
        if a.offering_id == offering.id and a.revoked_at is None
    }
    for certification_id, award in current.items():
        if certification_id not in certification_ids:
            revoke(award, "Re-closed: no longer earned.", actor, on_close=True)
        elif award.issued_on != on:
            revoke(award, "Re-closed: the class date changed.", actor, on_close=True)
    issued = []
    for certification_id in certification_ids:
        award = current.get(certification_id)
        if award is not None and award.revoked_at is None:
            if award.completion_id != completion.id:
                known.flush()  # the completion it is moved to is written first
                audit.change(
                    actor,
                    "update",
                    "award",
                    award,
                    {"completion": completion},
                    reason="Re-closed: the completion it rests on was superseded.",
                    agency_id=offering.host_agency_id,
                    person_agency_id=award.person.agency_id,
                )
        elif (person_id, certification_id) in known.awards_revoked_by_hand:
            continue
        else:
            award = issue_award(
                person_id,
                known.certifications[certification_id],
                offering,
                completion,
                on,
                actor,
                known,
            )
        issued.append(award.id)
    return issued


def issue_award(person_id, certification, offering, completion, on, actor, known):
    """Award a certification; earning it again renews from the later of now and its expiry."""
    renews = known.renewed(person_id, certification.id)
    expires = renewed_expiry(
        on, renews.expires_on if renews else None, certification.validity_months
    )
    award = known.new(
        Award,
        person=known.people[person_id],
        certification=certification,
        offering=offering,
        completion=completion,
        renews=renews,
        issued_on=on,
        expires_on=expires,
        verify_code=new_verify_code(),
    )
    award.number = award_number(certification.code or certification.name, on, award.id)
    known.awards.setdefault(person_id, []).append(award)
    audit.created(
        actor,
        "award",
        award,
        agency_id=offering.host_agency_id,
        person_agency_id=award.person.agency_id,
    )
    record_event("award.issued", award)
    return award


@in_write_transaction
def reopen_offering(offering, reason, actor):
    """Unlock a closed offering for correction, with a reason; its records stay until a
    re-close settles them again."""
    if offering.status != "closed":
        raise Conflict("The offering is not closed.")
    return audit.change(
        actor,
        "reopen",
        "offering",
        offering,
        {"status": "scheduled", "closed_at": None},
        reason=reason,
        agency_id=offering.host_agency_id,
    )
