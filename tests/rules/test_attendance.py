"""Session minutes across clock changes, credited minutes, and checking a batch of rows."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from rules.attendance import (
    check_batch,
    close_at_session_end,
    credited_minutes,
    elapsed_minutes,
    is_open,
    local_to_utc,
    open_stays_message,
    session_minutes,
)
from rules.errors import Conflict, RuleViolation

CHICAGO = ZoneInfo("America/Chicago")


def chicago(*args):
    return datetime.datetime(*args, tzinfo=CHICAGO)


def test_a_session_across_the_spring_change_lasts_its_real_minutes():
    assert session_minutes(chicago(2026, 3, 8, 0, 0), chicago(2026, 3, 8, 6, 0)) == 300
    assert session_minutes(chicago(2026, 11, 1, 0, 0), chicago(2026, 11, 1, 6, 0)) == 420


def test_check_in_and_out_across_the_change_credit_real_minutes():
    starts, ends = chicago(2026, 3, 8, 0, 0), chicago(2026, 3, 8, 6, 0)
    # 01:30 CST to 03:30 CDT reads as two hours on the wall clock but is one
    assert (
        credited_minutes(starts, ends, chicago(2026, 3, 8, 1, 30), chicago(2026, 3, 8, 3, 30)) == 60
    )
    assert (
        credited_minutes(starts, ends, chicago(2026, 3, 7, 23, 0), chicago(2026, 3, 8, 7, 0)) == 300
    )


def test_only_the_overlap_with_the_session_is_credited():
    starts, ends = datetime.datetime(2026, 3, 7, 14), datetime.datetime(2026, 3, 7, 22)
    assert (
        credited_minutes(
            starts, ends, datetime.datetime(2026, 3, 7, 13, 30), datetime.datetime(2026, 3, 7, 15)
        )
        == 60
    )
    assert (
        credited_minutes(
            starts, ends, datetime.datetime(2026, 3, 7, 21), datetime.datetime(2026, 3, 7, 23)
        )
        == 60
    )
    assert (
        credited_minutes(
            starts,
            ends,
            datetime.datetime(2026, 3, 7, 15, 0, 29),
            datetime.datetime(2026, 3, 7, 16),
        )
        == 60
    )
    assert (
        credited_minutes(
            starts,
            ends,
            datetime.datetime(2026, 3, 7, 15, 0, 31),
            datetime.datetime(2026, 3, 7, 16),
        )
        == 59
    )


def test_seconds_round_to_the_nearest_minute_halves_up():
    start = datetime.datetime(2026, 1, 1, 8)
    assert elapsed_minutes(start, start + datetime.timedelta(seconds=89)) == 1
    assert elapsed_minutes(start, start + datetime.timedelta(seconds=90)) == 2


def test_check_out_before_check_in_or_outside_the_session_is_refused():
    starts, ends = datetime.datetime(2026, 3, 7, 14), datetime.datetime(2026, 3, 7, 22)
    with pytest.raises(RuleViolation) as caught:
        credited_minutes(
            starts, ends, datetime.datetime(2026, 3, 7, 15), datetime.datetime(2026, 3, 7, 15)
        )
    assert caught.value.errors == {"check_out": ["Must be after check_in."]}
    with pytest.raises(RuleViolation) as caught:
        credited_minutes(
            starts, ends, datetime.datetime(2026, 3, 7, 22), datetime.datetime(2026, 3, 7, 23)
        )
    assert caught.value.errors == {
        "check_in": ["Does not overlap the session (2026-03-07T14:00:00Z to 2026-03-07T22:00:00Z)."]
    }


def test_a_batch_names_every_bad_row_and_returns_nothing():
    sessions = {1: (datetime.datetime(2026, 3, 7, 14), datetime.datetime(2026, 3, 7, 22))}
    roster = {10: "enrolled", 11: "withdrawn"}
    rows = [
        {"person_id": 10, "session_id": 1, "minutes": 480},
        {"person_id": 11, "session_id": 1, "minutes": 60},
        {"person_id": 12, "session_id": 2, "minutes": 60},
        {"person_id": 10, "session_id": 1, "minutes": 30},
    ]
    with pytest.raises(RuleViolation) as caught:
        check_batch(rows, sessions, roster)
    assert caught.value.errors == {
        1: {"person_id": ["Is withdrawn from the roster; add them again first."]},
        2: {
            "person_id": ["Not on the roster of this offering."],
            "session_id": ["Not a session of this offering."],
        },
        3: {"session_id": ["Row 0 already gives this person's attendance for this session."]},
    }
    assert caught.value.message == "3 rows of the batch are invalid; nothing was recorded."
    assert check_batch(rows[:1], sessions, roster) == [
        {"person_id": 10, "session_id": 1, "minutes": 480, "check_in": None, "check_out": None}
    ]


SESSION = {1: (datetime.datetime(2026, 3, 7, 14), datetime.datetime(2026, 3, 7, 22))}
ENROLLED = {10: "enrolled"}


def batch_errors(rows, now, timezone="UTC"):
    with pytest.raises(RuleViolation) as caught:
        check_batch(rows, SESSION, ENROLLED, now=now, timezone=timezone)
    return caught.value.errors[0]


def test_nothing_is_credited_for_a_session_that_has_not_started():
    errors = batch_errors(
        [{"person_id": 10, "session_id": 1, "minutes": 0}],
        now=datetime.datetime(2026, 3, 7, 13, 59),
        timezone="America/Chicago",
    )
    assert errors == {
        "session_id": [
            "This session has not started yet (it starts 2026-03-07T08:00-06:00 "
            "America/Chicago); record attendance once it has."
        ]
    }


@pytest.mark.parametrize(
    "row, field, message",
    [
        ({"minutes": 121}, "minutes", "More than the 120 minutes the session has run so far."),
        (
            {"check_in": datetime.datetime(2026, 3, 7, 16, 6)},
            "check_in",
            "Is in the future (it is now 2026-03-07T16:00+00:00 UTC); "
            "record it once it has happened.",
        ),
        (
            {
                "check_in": datetime.datetime(2026, 3, 7, 15),
                "check_out": datetime.datetime(2026, 3, 7, 16, 6),
            },
            "check_out",
            "Is in the future (it is now 2026-03-07T16:00+00:00 UTC); "
            "record it once it has happened.",
        ),
    ],
)
def test_time_still_to_come_is_refused(row, field, message):
    now = datetime.datetime(2026, 3, 7, 16)
    errors = batch_errors([{"person_id": 10, "session_id": 1, **row}], now=now)
    assert errors == {field: [message]}


def test_up_to_now_and_a_little_clock_skew_is_credited():
    now = datetime.datetime(2026, 3, 7, 16)
    rows = [
        {"person_id": 10, "session_id": 1, "minutes": 120},
    ]
    assert check_batch(rows, SESSION, ENROLLED, now=now)[0]["minutes"] == 120
    rows = [
        {
            "person_id": 10,
            "session_id": 1,
            "check_in": datetime.datetime(2026, 3, 7, 15),
            "check_out": datetime.datetime(2026, 3, 7, 16, 5),
        }
    ]
    assert check_batch(rows, SESSION, ENROLLED, now=now)[0]["minutes"] == 65


def test_a_check_in_alone_is_an_open_stay_credited_nothing():
    rows = [{"person_id": 10, "session_id": 1, "check_in": chicago(2026, 3, 7, 9, 0)}]
    [row] = check_batch(rows, SESSION, ENROLLED, now=datetime.datetime(2026, 3, 8))
    assert row == {
        "person_id": 10,
        "session_id": 1,
        "minutes": 0,
        "check_in": datetime.datetime(2026, 3, 7, 15),
        "check_out": None,
    }
    assert is_open(row)
    late = [{"person_id": 10, "session_id": 1, "check_in": datetime.datetime(2026, 3, 7, 22)}]
    assert batch_errors(late, now=datetime.datetime(2026, 3, 8)) == {
        "check_in": ["Does not overlap the session (2026-03-07T14:00:00Z to 2026-03-07T22:00:00Z)."]
    }


def test_an_open_stay_closes_at_its_session_end_only_once_it_has_ended():
    starts, ends = SESSION[1]
    check_in = datetime.datetime(2026, 3, 7, 15)
    assert close_at_session_end(check_in, starts, ends, datetime.datetime(2026, 3, 7, 22)) == {
        "check_out": ends,
        "minutes": 420,
    }
    with pytest.raises(Conflict):
        close_at_session_end(check_in, starts, ends, datetime.datetime(2026, 3, 7, 21, 59))


@pytest.mark.parametrize(
    "wall, utc",
    [
        (datetime.datetime(2026, 3, 7, 8, 0), datetime.datetime(2026, 3, 7, 14, 0)),
        (datetime.datetime(2026, 7, 1, 8, 0), datetime.datetime(2026, 7, 1, 13, 0)),
        (chicago(2026, 7, 1, 8, 0), datetime.datetime(2026, 7, 1, 13, 0)),
    ],
)
def test_a_time_without_an_offset_is_read_where_the_host_agency_is(wall, utc):
    assert local_to_utc(wall, "America/Chicago") == utc


@pytest.mark.parametrize(
    "wall, words",
    [
        (datetime.datetime(2026, 3, 8, 2, 30), "did not happen in America/Chicago"),
        (datetime.datetime(2026, 11, 1, 1, 30), "happened twice in America/Chicago"),
    ],
)
def test_a_local_time_a_clock_change_skipped_or_repeated_is_refused(wall, words):
    with pytest.raises(ValueError, match=words):
        local_to_utc(wall, "America/Chicago")


def test_a_close_refused_for_open_stays_names_each_up_to_twenty():
    stay = {
        "person_name": "Sean O'Brien",
        "person_id": 7,
        "session_id": 3,
        "session_starts": "2026-03-07T08:00:00-06:00",
        "check_in_local": chicago(2026, 3, 7, 9, 0),
    }
    assert open_stays_message([stay]) == (
        "1 stay is still open (checked in, never checked out): Sean O'Brien (person 7), "
        "session 3 starting 2026-03-07T08:00:00-06:00, checked in 2026-03-07T09:00-06:00. "
        "Give each a check-out time, or close it at its session's end "
        "(POST .../attendance/open-stays/close), then close the class."
    )
    message = open_stays_message([stay] * 25)
    assert message.startswith("25 stays are still open")
    assert message.count("Sean O'Brien") == 20
    assert "; and 5 more (GET .../attendance/open-stays lists all)." in message
