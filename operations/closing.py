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
    Result,
    RosterEntry,
    Session,
    utcnow,
)
from queries.attendance import open_stays
from rules import clock
from rules.attendance import open_stays_message
from rules.codes import new_verify_code
from rules.completion import AwardTerms, CourseTerms, evaluate, required_hours
from rules.errors import Conflict
from rules.expiry import renewed_expiry
from rules.hours import as_hours, hours_from_minutes, stored_credits

from . import audit
from .events import record_event
from .offering_lock import claim_open
from .records import create_award, revoke, valid_completion


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
    outcomes = []
    for person_id in enrolled:
        result = results.get(person_id)
        outcome = evaluate(
            terms, int(minutes.get(person_id) or 0), result.passed if result else None
        )
        if revoked_by_hand(Completion, offering, person_id):
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
        completion = settle_completion(offering, person_id, outcome, result, on, actor)
        award_ids = settle_awards(
            offering, person_id, completion, outcome.certification_ids, on, actor
        )
        outcomes.append(_outcome(person_id, outcome, completion, award_ids))
    attended = {pid: hours_from_minutes(int(m or 0)) for pid, m in minutes.items()}
    settle_attempts(offering, outcomes, attended, required_hours(terms), enrolled, actor)
    for completion in Completion.select().where(
        Completion.offering == offering,
        Completion.revoked_at.is_null(),
        Completion.person.not_in(enrolled or [0]),
    ):
        revoke(completion, "Re-closed: no longer on the roster.", actor, on_close=True)
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


ATTEMPT_OUTCOME = {"complete": "completed", "partial": "partial", "none": "not_completed"}


def settle_attempts(offering, outcomes, attended, required, enrolled, actor):
    """Keep what the close concluded for each rostered person, earned or not, so the home
    agency sees it too; someone no longer on the roster keeps theirs, marked as such."""
    current = {a.person_id: a for a in Attempt.select().where(Attempt.offering == offering)}
    for outcome in outcomes:
        person_id = outcome["person_id"]
        values = {
            "outcome": ATTEMPT_OUTCOME.get(outcome["outcome"], outcome["outcome"]),
            "hours_attended": attended.get(person_id, as_hours(0)),
            "hours_required": required,
            "reasons": outcome["reasons"],
            "completion": outcome["completion_id"],
        }
        _settle_attempt(offering, person_id, current.get(person_id), values, actor)
    for person_id, attempt in current.items():
        if person_id not in enrolled and attempt.outcome != "not_completed":
            values = {
                "outcome": "not_completed",
                "reasons": ["no longer on the roster"],
                "completion": None,
            }
            _settle_attempt(offering, person_id, attempt, values, actor)


def _settle_attempt(offering, person_id, attempt, values, actor):
    if attempt is None:
        attempt = Attempt.create(
            person=person_id,
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


def revoked_by_hand(model, offering, person_id, certification_id=None):
    """True if a person (not a re-close) revoked this record; a re-close never undoes that."""
    query = model.select().where(
        model.offering == offering,
        model.person == person_id,
        model.revoked_at.is_null(False),
        model.revoked_on_close == False,
    )  # noqa: E712
    if certification_id is not None:
        query = query.where(model.certification == certification_id)
    return query.exists()


def settle_completion(offering, person_id, outcome, result, on, actor):
    """Keep, replace or revoke the person's completion of this offering."""
    current = valid_completion(offering.id, person_id)
    if outcome.status == "none":
        if current:
            revoke(
                current,
                "Re-closed: no longer earned (" + "; ".join(outcome.reasons) + ").",
                actor,
                on_close=True,
            )
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
    completion = Completion.create(
        person=person_id,
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


def settle_awards(offering, person_id, completion, certification_ids, on, actor):
    """Issue the certifications earned, revoke those of this offering no longer earned."""
    current = {
        a.certification_id: a
        for a in Award.select().where(
            Award.offering == offering, Award.person == person_id, Award.revoked_at.is_null()
        )
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
        elif revoked_by_hand(Award, offering, person_id, certification_id):
            continue
        else:
            award = issue_award(
                person_id,
                Certification.get_by_id(certification_id),
                offering,
                completion,
                on,
                actor,
            )
        issued.append(award.id)
    return issued


def issue_award(person_id, certification, offering, completion, on, actor):
    """Award a certification; earning it again renews from the later of now and its expiry."""
    renews = (
        Award.select()
        .where(
            Award.person == person_id,
            Award.certification == certification,
            Award.revoked_at.is_null(),
        )
        .order_by(Award.expires_on.desc(nulls="first"), Award.id.desc())
        .first()
    )
    expires = renewed_expiry(
        on, renews.expires_on if renews else None, certification.validity_months
    )
    award = create_award(
        person=person_id,
        certification=certification,
        offering=offering,
        completion=completion,
        renews=renews,
        issued_on=on,
        expires_on=expires,
    )
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
