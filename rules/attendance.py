"""Who is on an offering's roster, and how many minutes of each session they are credited.

Times are compared as instants: naive values are taken as UTC (as the database stores
them), aware ones are converted. Minutes are therefore real elapsed minutes, so a session
across a daylight-saving change counts the minutes that really passed, not the wall clock.
"""

import datetime

from .errors import Conflict, RuleViolation

ENROLLED, WITHDRAWN = "enrolled", "withdrawn"
ROSTER_STATUSES = (ENROLLED, WITHDRAWN)


# --- the roster ------------------------------------------------------------------------


def check_withdrawable(status):
    """Only an enrolled person can be withdrawn; Conflict if already withdrawn."""
    if status == WITHDRAWN:
        raise Conflict("This person is already withdrawn from the roster.")


# --- minutes ---------------------------------------------------------------------------


def as_utc(value):
    """An aware datetime as naive UTC; a naive one is taken to be UTC already."""
    if value.tzinfo is not None:
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def elapsed_minutes(start, end):
    """Whole real minutes from start to end (seconds rounded half up), never negative."""
    seconds = (as_utc(end) - as_utc(start)).total_seconds()
    return max(int((seconds + 30) // 60), 0)


def session_minutes(starts_at, ends_at):
    """Length of a session in real minutes (whole minutes, leftover seconds dropped)."""
    return max(int((as_utc(ends_at) - as_utc(starts_at)).total_seconds() // 60), 0)


def credited_minutes(starts_at, ends_at, check_in, check_out):
    """Minutes of [check_in, check_out] that fall inside the session [starts_at, ends_at].

    RuleViolation if check_out is not after check_in, or if the two do not overlap the
    session at all.
    """
    starts_at, ends_at = as_utc(starts_at), as_utc(ends_at)
    check_in, check_out = as_utc(check_in), as_utc(check_out)
    if check_out <= check_in:
        raise RuleViolation(
            "check_out must be after check_in.", {"check_out": ["Must be after check_in."]}
        )
    start, end = max(starts_at, check_in), min(ends_at, check_out)
    if end <= start:
        raise RuleViolation(
            "The check-in and check-out do not overlap the session.",
            {"check_in": [_no_overlap(starts_at, ends_at)]},
        )
    return min(elapsed_minutes(start, end), session_minutes(starts_at, ends_at))


def check_minutes(minutes, starts_at, ends_at):
    """Minutes given directly: 0 up to the session's length."""
    length = session_minutes(starts_at, ends_at)
    if minutes < 0:
        raise RuleViolation("Minutes cannot be negative.", {"minutes": ["Must be 0 or more."]})
    if minutes > length:
        raise RuleViolation(
            "More minutes than the session lasts.",
            {"minutes": [f"Longer than the session ({length} minutes)."]},
        )
    return minutes


def _no_overlap(starts_at, ends_at):
    return f"Does not overlap the session ({starts_at.isoformat()}Z to {ends_at.isoformat()}Z)."


# --- a batch ---------------------------------------------------------------------------


def check_batch(rows, sessions, roster):
    """Check a batch of attendance rows and return what to store, one dict per row.

    rows: dicts with person_id, session_id and either minutes or check_in and check_out.
    sessions: {session_id: (starts_at, ends_at)} of the offering.
    roster: {person_id: roster status} of the offering.
    Returns [{person_id, session_id, minutes, check_in, check_out}] in the batch's order
    (check_in/check_out naive UTC or None). Raises one RuleViolation naming every bad row
    by its index and field, e.g. {3: {"minutes": ["Longer than the session (480 minutes)."]}}.
    """
    errors, checked, seen = {}, [], {}
    for index, row in enumerate(rows):
        try:
            checked.append(_check_row(row, sessions, roster))
        except RuleViolation as violation:
            errors[index] = violation.errors
            continue
        key = (row["person_id"], row["session_id"])
        if key in seen:
            errors[index] = {
                "session_id": [
                    f"Row {seen[key]} already gives this person's attendance for this session."
                ]
            }
        seen.setdefault(key, index)
    if errors:
        count = len(errors)
        raise RuleViolation(
            f"{count} row{'s' if count > 1 else ''} of the batch "
            f"{'are' if count > 1 else 'is'} invalid; nothing was recorded.",
            errors,
        )
    return checked


def _check_row(row, sessions, roster):
    errors = {}
    status = roster.get(row["person_id"])
    if status is None:
        errors["person_id"] = ["Not on the roster of this offering."]
    elif status != ENROLLED:
        errors["person_id"] = [f"Is {status} from the roster; add them again first."]
    span = sessions.get(row["session_id"])
    if span is None:
        errors["session_id"] = ["Not a session of this offering."]
    has_minutes = row.get("minutes") is not None
    has_times = row.get("check_in") is not None or row.get("check_out") is not None
    if has_minutes and has_times:
        errors["minutes"] = ["Give minutes or check_in and check_out, not both."]
    elif not has_minutes and not has_times:
        errors["minutes"] = ["Give minutes, or check_in and check_out."]
    elif has_times and row.get("check_in") is None:
        errors["check_in"] = ["Required with check_out."]
    elif has_times and row.get("check_out") is None:
        errors["check_out"] = ["Required with check_in."]
    elif span is not None:
        try:
            if has_minutes:
                minutes = check_minutes(row["minutes"], *span)
            else:
                minutes = credited_minutes(*span, row["check_in"], row["check_out"])
        except RuleViolation as violation:
            errors.update(violation.errors)
    if errors:
        raise RuleViolation("The row is invalid.", errors)
    return {
        "person_id": row["person_id"],
        "session_id": row["session_id"],
        "minutes": minutes,
        "check_in": as_utc(row["check_in"]) if has_times else None,
        "check_out": as_utc(row["check_out"]) if has_times else None,
    }
