"""Self check-in rules: which session a scan belongs to, and what a second scan means."""

import datetime

import pytest

from rules.check_ins import (
    check_code,
    check_decidable,
    check_in_url,
    check_out_time,
    second_scan,
    session_open_for_check_in,
)
from rules.errors import Conflict, RuleViolation

MORNING = (1, datetime.datetime(2026, 3, 7, 14, 0), datetime.datetime(2026, 3, 7, 18, 0))
AFTERNOON = (2, datetime.datetime(2026, 3, 7, 18, 30), datetime.datetime(2026, 3, 7, 22, 0))


def at(hour, minute):
    return datetime.datetime(2026, 3, 7, hour, minute)


@pytest.mark.parametrize(
    ("now", "session"),
    [
        (at(13, 45), 1),  # 15 minutes early
        (at(16, 0), 1),
        (at(18, 15), 1),  # 15 minutes late for the morning, and early for the afternoon
        (at(18, 16), 2),
        (at(22, 15), 2),
    ],
)
def test_a_scan_belongs_to_the_session_whose_span_with_grace_holds_it(now, session):
    assert session_open_for_check_in([AFTERNOON, MORNING], now, "America/Chicago") == session


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (
            at(13, 44),
            "No session of this class is under way; check in from 15 minutes before a session "
            "starts until 15 minutes after it ends. The next session starts "
            "2026-03-07T08:00-06:00 (America/Chicago).",
        ),
        (
            at(22, 16),
            "No session of this class is under way; check in from 15 minutes before a session "
            "starts until 15 minutes after it ends.",
        ),
    ],
)
def test_a_scan_outside_every_session_says_when_the_next_one_starts(now, message):
    with pytest.raises(Conflict) as refused:
        session_open_for_check_in([MORNING, AFTERNOON], now, "America/Chicago")
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("status", "checked_out", "minutes_later", "outcome"),
    [
        ("pending", None, 4, "repeat"),
        ("pending", None, 5, "check_out"),
        ("confirmed", None, 90, "check_out"),
    ],
)
def test_a_second_scan_is_a_repeat_at_first_then_the_check_out(
    status, checked_out, minutes_later, outcome
):
    first = at(14, 0)
    later = first + datetime.timedelta(minutes=minutes_later)
    assert second_scan(status, first, checked_out, later) == outcome


@pytest.mark.parametrize(("status", "checked_out"), [("rejected", None), ("confirmed", at(15, 0))])
def test_no_scan_after_a_rejection_or_a_check_out(status, checked_out):
    with pytest.raises(Conflict):
        second_scan(status, at(14, 0), checked_out, at(16, 0))


def test_only_the_class_code_passes():
    check_code("7KQ2M9XD", "7KQ2M9XD")
    for given, stored in (("7KQ2M9XE", "7KQ2M9XD"), (None, "7KQ2M9XD"), ("7KQ2M9XD", None)):
        with pytest.raises(RuleViolation) as refused:
            check_code(given, stored)
        assert list(refused.value.errors) == ["code"]


@pytest.mark.parametrize("status", ["confirmed", "rejected"])
def test_only_a_pending_check_in_is_decided(status):
    check_decidable("pending")
    with pytest.raises(Conflict) as refused:
        check_decidable(status)
    assert refused.value.message == f"This check-in is already {status}."


def test_a_check_out_comes_after_the_check_in_and_only_once():
    assert check_out_time(at(14, 0), None, "confirmed", at(15, 0)) == at(15, 0)
    with pytest.raises(RuleViolation) as refused:
        check_out_time(at(14, 0), None, "confirmed", at(14, 0))
    assert list(refused.value.errors) == ["at"]
    with pytest.raises(Conflict):
        check_out_time(at(14, 0), at(15, 0), "confirmed", at(16, 0))
    with pytest.raises(Conflict):
        check_out_time(at(14, 0), None, "rejected", at(16, 0))


def test_the_qr_carries_where_to_post_the_check_in_with_the_code():
    assert (
        check_in_url("https://muster.example/", 42, "7KQ2M9XD")
        == "https://muster.example/api/v1/offerings/42/check-ins?code=7KQ2M9XD"
    )
