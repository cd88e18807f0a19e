"""Whether a person meets an agency's requirements: hours per cycle, certifications kept."""

from datetime import date
from decimal import Decimal as D

import pytest

from rules.compliance import (
    AwardFacts,
    CompletionFacts,
    RequirementStatus,
    RequirementTerms,
    current_cycle,
    evaluate,
)
from rules.errors import RuleViolation

PARAMEDIC_CE = RequirementTerms(
    1,
    "Paramedic CE",
    "hours",
    hours=D("40"),
    period_months=24,
    category_hours={"nccp_national": D("20")},
)


ACLS = RequirementTerms(2, "ACLS", "certification", certification_id=7)


def done(on, hours, **credits):
    return CompletionFacts(on, D(hours), {k: D(v) for k, v in credits.items()})


def test_a_paramedic_short_on_total_and_national_hours_sees_both_shortfalls():
    completions = [
        done(date(2025, 12, 31), "20", nccp_national="20"),  # the previous cycle
        done(date(2026, 3, 1), "30", nccp_national="10", post="30"),
        done(date(2027, 4, 1), "5", nccp_national="5"),
    ]
    status = evaluate(PARAMEDIC_CE, completions, [], date(2027, 5, 10))
    assert status == RequirementStatus(
        requirement_id=1,
        name="Paramedic CE",
        kind="hours",
        compliant=False,
        required=D("40.00"),
        earned=D("35.00"),
        short_by=D("5.00"),
        due_by=date(2027, 12, 31),
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        by_category=[
            {
                "category": "nccp_national",
                "required": D("20.00"),
                "earned": D("15.00"),
                "short_by": D("5.00"),
            }
        ],
        certification_id=None,
        status=None,
        expires_on=None,
    )


def test_enough_total_hours_but_too_few_national_hours_is_not_compliant():
    completions = [done(date(2026, 3, 1), "45", nccp_national="12")]
    status = evaluate(PARAMEDIC_CE, completions, [], date(2027, 5, 10))
    assert status.compliant is False
    assert status.short_by == D("0.00")
    assert status.by_category[0]["short_by"] == D("8.00")


def test_meeting_the_total_and_every_category_minimum_is_compliant():
    completions = [
        done(date(2026, 1, 1), "20.5", nccp_national="20.5"),
        done(date(2027, 12, 31), "19.5"),
    ]
    status = evaluate(PARAMEDIC_CE, completions, [], date(2027, 12, 31))
    assert status.compliant is True
    assert (status.earned, status.short_by) == (D("40.00"), D("0.00"))
    assert status.by_category == [
        {
            "category": "nccp_national",
            "required": D("20.00"),
            "earned": D("20.50"),
            "short_by": D("0.00"),
        }
    ]


def test_a_category_requirement_counts_only_that_categorys_credit_hours():
    post = RequirementTerms(
        3, "POST annual", "hours", hours=D("24"), period_months=12, category="post"
    )
    completions = [
        done(date(2026, 2, 1), "8", post="6"),
        done(date(2026, 5, 1), "10"),
        done(date(2026, 9, 1), "4", post="4", ems="4"),
    ]
    status = evaluate(post, completions, [], date(2026, 10, 1))
    assert (status.required, status.earned, status.short_by) == (D("24.00"), D("10.00"), D("14.00"))
    assert status.due_by == date(2026, 12, 31)


def test_category_minimums_are_reported_sorted_by_category():
    req = RequirementTerms(
        4, "Fire", "hours", period_months=12, category_hours={"iso_fire": D("12"), "hazmat": D("2")}
    )
    status = evaluate(req, [done(date(2026, 4, 1), "3", hazmat="3")], [], date(2026, 4, 2))
    assert [row["category"] for row in status.by_category] == ["hazmat", "iso_fire"]
    assert status.required is None
    assert status.earned == D("3.00")
    assert status.short_by == D("0.00")
    assert status.compliant is False


def test_an_annual_requirement_is_due_at_the_end_of_the_calendar_year():
    assert current_cycle(None, 12, date(2026, 3, 14)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert current_cycle(None, 12, date(2026, 12, 31)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert current_cycle(None, 12, date(2027, 1, 1)) == (date(2027, 1, 1), date(2027, 12, 31))


def test_a_two_year_requirement_runs_in_even_year_pairs():
    assert current_cycle(None, 24, date(2027, 6, 1)) == (date(2026, 1, 1), date(2027, 12, 31))
    assert current_cycle(None, 24, date(2028, 1, 1)) == (date(2028, 1, 1), date(2029, 12, 31))


def test_a_quarterly_requirement_is_due_at_the_end_of_the_quarter():
    assert current_cycle(None, 3, date(2026, 5, 20)) == (date(2026, 4, 1), date(2026, 6, 30))


def test_a_fiscal_year_cycle_runs_from_its_start_date():
    fiscal = date(2019, 7, 1)
    assert current_cycle(fiscal, 12, date(2026, 3, 15)) == (date(2025, 7, 1), date(2026, 6, 30))
    assert current_cycle(fiscal, 12, date(2026, 7, 1)) == (date(2026, 7, 1), date(2027, 6, 30))


def test_a_cycle_start_in_the_future_still_finds_the_cycle_containing_today():
    start = date(2026, 7, 1)
    assert current_cycle(start, 12, date(2026, 3, 15)) == (date(2025, 7, 1), date(2026, 6, 30))


def test_cycles_anchored_on_the_31st_do_not_drift_after_a_short_month():
    start = date(2026, 1, 31)
    assert current_cycle(start, 1, date(2026, 3, 5)) == (date(2026, 2, 28), date(2026, 3, 30))
    assert current_cycle(start, 1, date(2026, 3, 31)) == (date(2026, 3, 31), date(2026, 4, 29))


def test_an_hours_requirement_without_a_period_is_refused():
    with pytest.raises(RuleViolation) as caught:
        evaluate(RequirementTerms(5, "Bad", "hours", hours=D("8")), [], [], date(2026, 1, 1))
    assert caught.value.errors == {"period_months": ["Must be 1 or more for an hours requirement."]}


def acls(issued_on, expires_on, revoked=False, certification_id=7):
    return AwardFacts(certification_id, issued_on, expires_on, revoked)


def test_a_valid_certification_is_compliant_and_due_when_it_expires():
    status = evaluate(ACLS, [], [acls(date(2026, 3, 14), date(2028, 3, 31))], date(2027, 1, 1))
    assert status == RequirementStatus(
        requirement_id=2,
        name="ACLS",
        kind="certification",
        compliant=True,
        required=None,
        earned=None,
        short_by=D("0.00"),
        due_by=date(2028, 3, 31),
        period_start=None,
        period_end=None,
        by_category=[],
        certification_id=7,
        status="valid",
        expires_on=date(2028, 3, 31),
    )


def test_a_certification_expiring_today_still_counts():
    status = evaluate(ACLS, [], [acls(date(2026, 3, 14), date(2028, 3, 31))], date(2028, 3, 31))
    assert (status.compliant, status.status) == (True, "valid")


def test_a_certification_that_expired_yesterday_is_expired_and_due_today():
    status = evaluate(ACLS, [], [acls(date(2026, 3, 14), date(2028, 3, 31))], date(2028, 4, 1))
    assert (status.compliant, status.status) == (False, "expired")
    assert status.expires_on == date(2028, 3, 31)
    assert status.due_by == date(2028, 4, 1)


def test_a_renewal_makes_the_latest_expiry_the_due_date():
    awards = [
        acls(date(2026, 3, 14), date(2028, 3, 31)),
        acls(date(2027, 11, 20), date(2030, 3, 31)),
    ]
    status = evaluate(ACLS, [], awards, date(2028, 1, 10))
    assert (status.status, status.due_by, status.expires_on) == (
        "valid",
        date(2030, 3, 31),
        date(2030, 3, 31),
    )


def test_a_certification_that_never_expires_has_no_due_date():
    status = evaluate(ACLS, [], [acls(date(2020, 1, 1), None)], date(2040, 1, 1))
    assert (status.compliant, status.status, status.due_by, status.expires_on) == (
        True,
        "valid",
        None,
        None,
    )


def test_without_the_certification_it_is_missing_and_due_today():
    others = [acls(date(2026, 3, 14), date(2028, 3, 31), certification_id=8)]
    status = evaluate(ACLS, [], others, date(2027, 1, 1))
    assert (status.compliant, status.status, status.due_by, status.expires_on) == (
        False,
        "missing",
        date(2027, 1, 1),
        None,
    )


def test_a_revoked_certification_counts_as_missing():
    revoked = [acls(date(2026, 3, 14), date(2028, 3, 31), revoked=True)]
    status = evaluate(ACLS, [], revoked, date(2027, 1, 1))
    assert (status.compliant, status.status) == (False, "missing")
