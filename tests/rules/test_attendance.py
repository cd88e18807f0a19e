"""Session minutes across clock changes, credited minutes, and checking a batch of rows."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from rules.attendance import check_batch, credited_minutes, elapsed_minutes, session_minutes
from rules.errors import RuleViolation

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
