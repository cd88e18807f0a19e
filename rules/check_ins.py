"""Self check-in: when a scan of the class's code counts, and what a second scan means."""

import datetime

from .attendance import as_local, as_utc
from .errors import Conflict, RuleViolation

# A scan counts from this long before a session starts until this long after it ends.
GRACE = datetime.timedelta(minutes=15)
# A second scan this soon after the first is the same scan sent twice, not a check-out.
REPEAT = datetime.timedelta(minutes=5)
CODE_LENGTH = 8
PENDING, CONFIRMED, REJECTED = "pending", "confirmed", "rejected"


def session_open_for_check_in(sessions, now, timezone="UTC"):
    """The id of the session (id, starts_at, ends_at) a scan at `now` belongs to: the
    one whose span, widened by GRACE either side, holds `now` (the earliest if two do).
    Conflict naming the next session, or saying there is none, otherwise."""
    for session_id, starts_at, ends_at in sorted(sessions, key=lambda s: as_utc(s[1])):
        if as_utc(starts_at) - GRACE <= now <= as_utc(ends_at) + GRACE:
            return session_id
    upcoming = [as_utc(starts) for _, starts, _ in sessions if as_utc(starts) - GRACE > now]
    window = "from 15 minutes before a session starts until 15 minutes after it ends"
    if upcoming:
        local = as_local(min(upcoming), timezone).isoformat(timespec="minutes")
        raise Conflict(
            f"No session of this class is under way; check in {window}. "
            f"The next session starts {local} ({timezone})."
        )
    raise Conflict(f"No session of this class is under way; check in {window}.")


def check_code(given, stored):
    """RuleViolation naming `code` unless the code given is the class's check-in code."""
    if stored is None or given != stored:
        raise RuleViolation(
            "This is not the check-in code of this class.",
            {"code": ["Not this class's check-in code; scan the sheet or screen again."]},
        )


def second_scan(status, checked_in_at, checked_out_at, now):
    """What a scan by someone already checked in to this session does: "repeat" (the same
    scan again, nothing changes) or "check_out"; Conflict once rejected or checked out."""
    if status == REJECTED:
        raise Conflict("The instructor rejected your check-in to this session; see the instructor.")
    if checked_out_at is not None:
        raise Conflict("You have already checked in and out of this session.")
    if now - checked_in_at < REPEAT:
        return "repeat"
    return "check_out"


def check_decidable(status):
    """Only a pending check-in is confirmed or rejected; Conflict otherwise."""
    if status != PENDING:
        raise Conflict(f"This check-in is already {status}.")


def check_out_time(checked_in_at, checked_out_at, status, at):
    """The check-out an instructor gives (naive UTC): after the check-in, once."""
    if status == REJECTED:
        raise Conflict("This check-in was rejected; it has no check-out.")
    if checked_out_at is not None:
        raise Conflict("This check-in already has its check-out.")
    if at <= checked_in_at:
        raise RuleViolation(
            "The check-out must be after the check-in.",
            {"at": [f"Must be after the check-in ({checked_in_at.isoformat()}Z)."]},
        )
    return at


def check_in_url(base_url, offering_id, code):
    """What the sign-in sheet's QR code carries: where to post the check-in, with the code."""
    return f"{base_url.rstrip('/')}/api/v1/offerings/{offering_id}/check-ins?code={code}"
