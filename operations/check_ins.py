"""Self check-in: the class's code, a person's scans, and the instructor's decision that
turns a confirmed check-in into attendance."""

import datetime

from peewee import IntegrityError

from database import db, in_write_transaction
from models import CheckIn, CheckInCode, RosterEntry, utcnow
from queries.offerings import sessions_of
from rules.attendance import ENROLLED
from rules.check_ins import (
    CODE_LENGTH,
    CONFIRMED,
    PENDING,
    REJECTED,
    check_code,
    check_decidable,
    check_out_time,
    second_scan,
    session_open_for_check_in,
)
from rules.codes import new_verify_code, parse_code
from rules.errors import Conflict, RuleViolation

from . import audit
from .attendance import record_attendance
from .offering_lock import claim_open
from .roster import enroll

ENTITY = "check_in"


def _where(offering, check_in=None):
    agency = {"agency_id": offering.host_agency_id}
    if check_in is not None:
        agency["person_agency_id"] = check_in.person.agency_id
    return agency


def stored_code(offering):
    """The class's check-in code, or None before one is made."""
    row = CheckInCode.get_or_none(CheckInCode.offering == offering.id)
    return row.code if row else None


@in_write_transaction
def make_check_in_code(offering, actor):
    """The class's check-in code, made at random the first time it is asked for."""
    code = stored_code(offering)
    if code is not None:
        return code
    row = CheckInCode.create(offering=offering.id, code=new_verify_code(CODE_LENGTH))
    # The code itself stays out of the trail: the trail says that it was made, and by whom.
    audit.record(
        actor,
        "create",
        "check_in_code",
        row.id,
        after={"offering": offering.id},
        **_where(offering),
    )
    return row.code


@in_write_transaction
def scan_check_in(offering, code, person, actor):
    """A person's scan of the class's code: a pending check-in for the session under way
    (15 minutes of grace either side), or, scanned again later, its check-out.

    Returns (check_in, outcome): "checked_in", "checked_out" or "repeat" (the same scan
    sent again). RuleViolation naming `code` for a wrong code; Conflict outside a session,
    for a closed class, or after a rejection or a check-out.
    """
    claim_open(offering)
    check_code(parse_code(code, CODE_LENGTH), stored_code(offering))
    now = utcnow()
    sessions = [(s.id, s.starts_at, s.ends_at) for s in sessions_of(offering)]
    session_id = session_open_for_check_in(sessions, now, offering.host_agency.timezone)
    existing = CheckIn.get_or_none(CheckIn.session == session_id, CheckIn.person == person.id)
    if existing is None:
        try:
            with db.atomic():  # a savepoint: the same scan sent twice at once may win
                check_in = CheckIn.create(
                    offering=offering.id,
                    session=session_id,
                    person=person.id,
                    user=actor.id,
                    status=PENDING,
                    checked_in_at=now,
                )
        except IntegrityError:
            return CheckIn.get(CheckIn.session == session_id, CheckIn.person == person.id), (
                "repeat"
            )
        audit.created(actor, ENTITY, check_in, **_where(offering, check_in))
        return check_in, "checked_in"
    outcome = second_scan(existing.status, existing.checked_in_at, existing.checked_out_at, now)
    if outcome == "repeat":
        return existing, outcome
    _check_out(offering, existing, now, actor)
    return existing, "checked_out"


def _check_out(offering, check_in, at, actor):
    audit.change(
        actor, "check_out", ENTITY, check_in, {"checked_out_at": at}, **_where(offering, check_in)
    )
    if check_in.status == CONFIRMED:
        _attend(offering, check_in, actor)


def _aware(value):
    return None if value is None else value.replace(tzinfo=datetime.UTC)


def _attend(offering, check_in, actor):
    """The check-in as the person's attendance at its session: an open stay until it has
    a check-out, then the minutes of the session it covers."""
    row = {
        "person_id": check_in.person_id,
        "session_id": check_in.session_id,
        "check_in": _aware(check_in.checked_in_at),
    }
    if check_in.checked_out_at is not None:
        row["check_out"] = _aware(check_in.checked_out_at)
    try:
        record_attendance(offering, [row], actor)
    except RuleViolation as violation:
        reasons = [m for field in violation.errors.get(0, {}).values() for m in field]
        raise Conflict(
            "This check-in cannot be recorded as attendance yet: "
            + (" ".join(reasons) or violation.message)
        ) from None


@in_write_transaction
def confirm_check_in(check_in, actor):
    """The instructor confirms a pending check-in: the person is put on the roster as a
    walk-in if they were not on it, and the check-in becomes their attendance."""
    offering = check_in.offering
    claim_open(offering)
    check_decidable(check_in.status)
    entry = RosterEntry.get_or_none(
        RosterEntry.offering == offering.id, RosterEntry.person == check_in.person_id
    )
    if entry is None or entry.status != ENROLLED:
        # A walk-in known by their own sign-in: nobody matched them by their details.
        door = {
            "walk_in": True,
            "matched_by": "check_in",
            "created_person": False,
            "matched_by_user": actor.id if actor else None,
            "matched_at": utcnow(),
        }
        enroll(offering, check_in.person, actor, door=door)
    audit.change(
        actor,
        "confirm",
        ENTITY,
        check_in,
        {"status": CONFIRMED, "decided_by": actor.id if actor else None, "decided_at": utcnow()},
        **_where(offering, check_in),
    )
    _attend(offering, check_in, actor)
    return check_in


@in_write_transaction
def reject_check_in(check_in, reason, actor):
    """The instructor rejects a pending check-in, with a reason; it never counts."""
    offering = check_in.offering
    claim_open(offering)
    check_decidable(check_in.status)
    audit.change(
        actor,
        "reject",
        ENTITY,
        check_in,
        {
            "status": REJECTED,
            "decided_by": actor.id if actor else None,
            "decided_at": utcnow(),
            "reason": reason,
        },
        reason=reason,
        **_where(offering, check_in),
    )
    return check_in


@in_write_transaction
def check_out_check_in(check_in, at, actor):
    """The instructor gives a check-in its check-out (naive UTC; now when None)."""
    offering = check_in.offering
    claim_open(offering)
    at = check_out_time(
        check_in.checked_in_at, check_in.checked_out_at, check_in.status, at or utcnow()
    )
    _check_out(offering, check_in, at, actor)
    return check_in
