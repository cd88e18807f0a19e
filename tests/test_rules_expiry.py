"""The end-of-month expiry rule, renewals, and whether an award is valid today."""

from datetime import date

import pytest

from rules.errors import RuleViolation
from rules.expiry import add_months, award_status, end_of_month, expires_on, renewed_expiry


def test_a_24_month_certification_issued_mid_march_expires_at_the_end_of_march_two_years_on():
    assert expires_on(date(2026, 3, 14), 24) == date(2028, 3, 31)


def test_issued_on_the_first_of_the_month_still_runs_to_the_end_of_the_month():
    assert expires_on(date(2026, 3, 1), 12) == date(2027, 3, 31)


def test_issued_on_january_31_for_one_month_expires_at_the_end_of_february():
    assert expires_on(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_a_february_expiry_in_a_leap_year_lands_on_the_29th():
    assert expires_on(date(2027, 2, 10), 12) == date(2028, 2, 29)
    assert expires_on(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_issued_on_february_29_for_a_year_expires_at_the_end_of_the_next_february():
    assert expires_on(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_validity_crossing_the_year_end_counts_into_the_next_year():
    assert expires_on(date(2026, 11, 5), 3) == date(2027, 2, 28)


def test_a_certification_without_validity_never_expires():
    assert expires_on(date(2026, 3, 14), None) is None


def test_a_validity_under_one_month_is_refused():
    with pytest.raises(RuleViolation) as caught:
        expires_on(date(2026, 3, 14), 0)
    assert caught.value.errors == {"validity_months": ["Must be 1 or more, or null."]}


def test_adding_months_clamps_the_day_to_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert add_months(date(2026, 5, 15), 0) == date(2026, 5, 15)


def test_adding_months_crosses_years_both_ways():
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert add_months(date(2026, 3, 31), -13) == date(2025, 2, 28)


def test_end_of_month():
    assert end_of_month(date(2026, 4, 2)) == date(2026, 4, 30)
    assert end_of_month(date(2024, 2, 1)) == date(2024, 2, 29)


def test_renewing_early_extends_from_the_current_expiry():
    assert renewed_expiry(date(2027, 11, 20), date(2028, 3, 31), 24) == date(2030, 3, 31)


def test_renewing_late_runs_from_the_new_issue_date():
    assert renewed_expiry(date(2028, 6, 10), date(2028, 3, 31), 24) == date(2030, 6, 30)


def test_renewing_on_the_expiry_day_itself_extends_from_that_day():
    assert renewed_expiry(date(2028, 3, 31), date(2028, 3, 31), 24) == date(2030, 3, 31)


def test_renewing_a_revoked_or_missing_award_runs_from_the_new_issue_date():
    assert renewed_expiry(date(2027, 11, 20), None, 24) == date(2029, 11, 30)


def test_renewing_a_certification_without_validity_never_expires():
    assert renewed_expiry(date(2027, 11, 20), date(2028, 3, 31), None) is None


def test_an_award_expiring_today_is_still_valid():
    assert award_status(False, date(2028, 3, 31), date(2028, 3, 31)) == "valid"


def test_an_award_that_expired_yesterday_is_expired():
    assert award_status(False, date(2028, 3, 31), date(2028, 4, 1)) == "expired"


def test_an_award_without_expiry_stays_valid():
    assert award_status(False, None, date(2090, 1, 1)) == "valid"


def test_a_revoked_award_is_revoked_even_before_it_would_expire():
    assert award_status(True, date(2028, 3, 31), date(2026, 6, 1)) == "revoked"
    assert award_status(True, None, date(2026, 6, 1)) == "revoked"
