"""Who is on an offering's roster, and how many minutes of each session they are credited.

Times are compared as instants: naive values are taken as UTC (as the database stores
them), aware ones are converted. Minutes are therefore real elapsed minutes, so a session
across a daylight-saving change counts the minutes that really passed, not the wall clock.
Times sent without an offset are read as wall-clock times where the host agency is.
Attendance is honest in time: nothing is credited for a session that has not started, or
for time that has not passed yet; a check-in alone is an open stay, credited nothing until
it is closed.
"""

import datetime
import zoneinfo

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


# --- times as sent ----------------------------------------------------------------------

# A tablet's clock may run a little ahead of the server's.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def local_to_utc(value, timezone):
    """An aware time as naive UTC; a naive one read as the wall-clock time in `timezone`.

    ValueError (its text for the user) when that wall-clock time was skipped or repeated by
    a clock change there, since only an offset can say which instant was meant.
    """
    if value.tzinfo is not None:
        return as_utc(value)
    zone = zoneinfo.ZoneInfo(timezone)
    early, late = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    if early.utcoffset() != late.utcoffset():
        shown = value.isoformat(timespec="minutes")
        if early.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != value:
            raise ValueError(
                f"{shown} did not happen in {timezone} (the clocks went forward); "
                "give the time with its offset."
            )
        raise ValueError(
            f"{shown} happened twice in {timezone} (the clocks went back); give the time with "
            f"its offset ({_offset(early)} or {_offset(late)})."
        )
    return as_utc(early)


def as_local(value, timezone):
    """Stored naive UTC as an aware time where `timezone` is (None stays None)."""
    if value is None:
        return None
    return value.replace(tzinfo=datetime.UTC).astimezone(zoneinfo.ZoneInfo(timezone))


def _offset(moment):
    text = moment.isoformat()
    return text[-6:]


def _local_words(value, timezone):
    return f"{as_local(value, timezone).isoformat(timespec='minutes')} {timezone}"


def is_open(row):
    """An open stay: checked in, not yet checked out."""
    return row.get("check_in") is not None and row.get("check_out") is None


def local_view(row, timezone):
    """A stored attendance row as shown: UTC times, the same times where the host agency
    is, and whether the stay is still open."""
    return {
        **row,
        "check_in_local": as_local(row.get("check_in"), timezone),
        "check_out_local": as_local(row.get("check_out"), timezone),
        "open": is_open(row),
    }


def close_at_session_end(check_in, starts_at, ends_at, now):
    """Close an open stay at its session's end: {check_out, minutes}. Conflict if the
    session has not ended yet, since that would credit time not yet spent."""
    if as_utc(ends_at) > now:
        raise Conflict(
            f"The session ends at {as_utc(ends_at).isoformat()}Z; close this stay at its end "
            "once it has ended, or give the check-out time."
        )
    return {
        "check_out": as_utc(ends_at),
        "minutes": credited_minutes(starts_at, ends_at, check_in, ends_at),
    }


LISTED_STAYS = 20  # an answer stays readable; the open-stays list has them all


def open_stays_message(stays):
    """Why a class with open stays cannot close: each stay named (person and session)."""
    count = len(stays)
    listed = "; ".join(
        f"{stay['person_name']} (person {stay['person_id']}), session {stay['session_id']} "
        f"starting {stay['session_starts']}, checked in "
        f"{stay['check_in_local'].isoformat(timespec='minutes')}"
        for stay in stays[:LISTED_STAYS]
    )
    if count > LISTED_STAYS:
        listed += f"; and {count - LISTED_STAYS} more (GET .../attendance/open-stays lists all)"
    return (
        f"{count} stay{'s are' if count > 1 else ' is'} still open (checked in, never checked "
        f"out): {listed}. Give each a check-out time, or close it at its session's end "
        "(POST .../attendance/open-stays/close), then close the class."
    )


# --- a batch ---------------------------------------------------------------------------


def check_batch(rows, sessions, roster, now=None, timezone="UTC"):
    """Check a batch of attendance rows and return what to store, one dict per row.

    rows: dicts with person_id, session_id and either minutes, or check_in with check_out
    (or check_in alone: an open stay, credited 0 minutes until it is closed).
    sessions: {session_id: (starts_at, ends_at)} of the offering.
    roster: {person_id: roster status} of the offering.
    now: the current time (naive UTC); when given, attendance for a session that has not
    started, times in the future and more minutes than have passed are refused.
    timezone: the host agency's, in which times without an offset are read.
    Returns [{person_id, session_id, minutes, check_in, check_out}] in the batch's order
    (check_in/check_out naive UTC or None). Raises one RuleViolation naming every bad row
    by its index and field, e.g. {3: {"minutes": ["Longer than the session (480 minutes)."]}}.
    """
    errors, checked, seen = {}, [], {}
    for index, row in enumerate(rows):
        try:
            checked.append(_check_row(row, sessions, roster, now, timezone))
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


def _check_row(row, sessions, roster, now, timezone):
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
    times = {}
    if has_minutes and has_times:
        errors["minutes"] = ["Give minutes or check_in and check_out, not both."]
    elif not has_minutes and not has_times:
        errors["minutes"] = ["Give minutes, or check_in and check_out."]
    elif has_times and row.get("check_in") is None:
        errors["check_in"] = ["Required with check_out."]
    elif has_times:
        for field in ("check_in", "check_out"):
            if row.get(field) is not None:
                try:
                    times[field] = local_to_utc(row[field], timezone)
                except ValueError as problem:
                    errors[field] = [str(problem)]
    if span is not None and not errors:
        starts_at, ends_at = as_utc(span[0]), as_utc(span[1])
        if now is not None and starts_at > now:
            errors["session_id"] = [
                f"This session has not started yet (it starts "
                f"{_local_words(starts_at, timezone)}); record attendance once it has."
            ]
        else:
            try:
                minutes = _credit(row, times, starts_at, ends_at, now, timezone)
            except RuleViolation as violation:
                errors.update(violation.errors)
    if errors:
        raise RuleViolation("The row is invalid.", errors)
    return {
        "person_id": row["person_id"],
        "session_id": row["session_id"],
        "minutes": minutes,
        "check_in": times.get("check_in"),
        "check_out": times.get("check_out"),
    }


def _credit(row, times, starts_at, ends_at, now, timezone):
    """The minutes a valid row credits, refusing time that has not passed yet."""
    if now is not None:
        future = {
            field: [
                f"Is in the future (it is now {_local_words(now, timezone)}); "
                "record it once it has happened."
            ]
            for field, value in times.items()
            if value > now + CLOCK_SKEW
        }
        if future:
            raise RuleViolation("A time is in the future.", future)
    if "check_in" not in times:
        minutes = check_minutes(row["minutes"], starts_at, ends_at)
        if now is not None and now < ends_at:
            so_far = session_minutes(starts_at, now)
            if minutes > so_far:
                raise RuleViolation(
                    "More minutes than have passed.",
                    {"minutes": [f"More than the {so_far} minutes the session has run so far."]},
                )
        return minutes
    if "check_out" in times:
        return credited_minutes(starts_at, ends_at, times["check_in"], times["check_out"])
    if times["check_in"] >= ends_at:
        raise RuleViolation(
            "The check-in is after the session.",
            {"check_in": [_no_overlap(starts_at, ends_at)]},
        )
    return 0  # an open stay credits nothing until it is closed
