"""The end-of-month expiry rule, renewals, and whether an award is valid today."""

from datetime import date

import pytest

from rules.errors import RuleViolation
from rules.expiry import add_months, award_status, end_of_month, expires_on, renewed_expiry


@pytest.mark.parametrize(
    ("issued", "months", "expires"),
    [
        pytest.param(
            date(2026, 3, 14), 24, date(2028, 3, 31), id="24 months from mid-March: end of March"
        ),
        pytest.param(date(2026, 3, 1), 12, date(2027, 3, 31), id="from the 1st: end of month"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="January 31 + 1: end of Feb"),
        pytest.param(date(2027, 2, 10), 12, date(2028, 2, 29), id="leap February: the 29th"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="leap February from Jan 31"),
        pytest.param(date(2028, 2, 29), 12, date(2029, 2, 28), id="from Feb 29: next Feb's end"),
        pytest.param(date(2026, 11, 5), 3, date(2027, 2, 28), id="across the year end"),
        pytest.param(date(2026, 3, 14), None, None, id="no validity: never expires"),
    ],
)
def test_a_certification_expires_at_the_end_of_the_month_its_validity_lands_in(
    issued, months, expires
):
    assert expires_on(issued, months) == expires


def test_a_validity_under_one_month_is_refused():
    with pytest.raises(RuleViolation) as caught:
        expires_on(date(2026, 3, 14), 0)
    assert caught.value.errors == {"validity_months": ["Must be 1 or more, or null."]}


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        # the day clamps to a shorter month
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
        # across years, both ways
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 3, 31), -13, date(2025, 2, 28)),
    ],
)
def test_adding_months_clamps_the_day_and_crosses_years_both_ways(day, months, result):
    assert add_months(day, months) == result


@pytest.mark.parametrize(
    ("day", "result"),
    [(date(2026, 4, 2), date(2026, 4, 30)), (date(2024, 2, 1), date(2024, 2, 29))],
)
def test_end_of_month(day, result):
    assert end_of_month(day) == result


@pytest.mark.parametrize(
    ("issued", "current", "months", "expires"),
    [
        pytest.param(
            date(2027, 11, 20), date(2028, 3, 31), 24, date(2030, 3, 31), id="early: from expiry"
        ),
        pytest.param(
            date(2028, 6, 10), date(2028, 3, 31), 24, date(2030, 6, 30), id="late: from issue"
        ),
        pytest.param(
            date(2028, 3, 31), date(2028, 3, 31), 24, date(2030, 3, 31), id="on the expiry day"
        ),
        pytest.param(
            date(2027, 11, 20), None, 24, date(2029, 11, 30), id="revoked or missing: from issue"
        ),
        pytest.param(date(2027, 11, 20), date(2028, 3, 31), None, None, id="no validity"),
    ],
)
def test_renewing_extends_from_the_current_expiry_or_else_the_new_issue_date(
    issued, current, months, expires
):
    assert renewed_expiry(issued, current, months) == expires


@pytest.mark.parametrize(
    ("revoked", "expires", "today", "status"),
    [
        pytest.param(False, date(2028, 3, 31), date(2028, 3, 31), "valid", id="expiring today"),
        pytest.param(False, date(2028, 3, 31), date(2028, 4, 1), "expired", id="expired"),
        pytest.param(False, None, date(2090, 1, 1), "valid", id="without expiry"),
        pytest.param(True, date(2028, 3, 31), date(2026, 6, 1), "revoked", id="revoked early"),
        pytest.param(True, None, date(2026, 6, 1), "revoked", id="revoked, no expiry"),
    ],
)
def test_an_award_is_valid_through_its_expiry_day_and_revoked_whenever_revoked(
    revoked, expires, today, status
):
    assert award_status(revoked, expires, today) == status
