"""What attending (and passing) a course earns: completion, hours, credits, awards."""

from decimal import Decimal as D

import pytest

from rules.completion import AwardTerms, CourseTerms, Outcome, evaluate, required_hours
from rules.errors import RuleViolation

TWO_DAYS = 16 * 60


def two_day_course(**terms):
    return CourseTerms(
        **{"hours": D("16"), "credits": [("post", D("16")), ("ems", D("8"))], **terms}
    )


def test_a_medic_who_attended_the_whole_two_day_course_completes_it_with_all_credits():
    assert evaluate(two_day_course(), TWO_DAYS, None) == Outcome(
        "complete",
        D("16.00"),
        [{"category": "post", "hours": D("16.00")}, {"category": "ems", "hours": D("8.00")}],
        [],
        [],
    )


def test_a_medic_who_missed_a_day_of_a_two_day_course_gets_no_completion():
    outcome = evaluate(two_day_course(), 8 * 60, None)
    assert outcome == Outcome(
        "none",
        D("0.00"),
        [],
        [],
        [
            "attended 8.00 of the 16.00 hours required",
            "the course gives no credit for partial attendance",
        ],
    )


def test_staying_late_never_credits_more_than_the_course_hours():
    outcome = evaluate(two_day_course(), TWO_DAYS + 95, None)
    assert outcome.status == "complete"
    assert outcome.hours == D("16.00")
    assert outcome.credits == [
        {"category": "post", "hours": D("16.00")},
        {"category": "ems", "hours": D("8.00")},
    ]


def test_a_90_percent_minimum_completes_at_exactly_90_percent_with_the_hours_attended():
    course = two_day_course(min_attendance_pct=D("90"))
    assert required_hours(course) == D("14.40")
    outcome = evaluate(course, 864, None)  # 14.40 hours
    assert outcome == Outcome(
        "complete",
        D("14.40"),
        [{"category": "post", "hours": D("14.40")}, {"category": "ems", "hours": D("7.20")}],
        [],
        [],
    )


def test_a_minute_short_of_a_90_percent_minimum_is_no_completion():
    outcome = evaluate(two_day_course(min_attendance_pct=D("90")), 863, None)
    assert outcome.status == "none"
    assert outcome.reasons == [
        "attended 14.38 of the 14.40 hours required",
        "the course gives no credit for partial attendance",
    ]


def test_a_course_that_allows_partial_credit_gives_the_hours_attended_in_proportion():
    course = two_day_course(min_attendance_pct=D("90"), allows_partial=True)
    assert evaluate(course, 8 * 60, None) == Outcome(
        "partial",
        D("8.00"),
        [{"category": "post", "hours": D("8.00")}, {"category": "ems", "hours": D("4.00")}],
        [],
        ["attended 8.00 of the 14.40 hours required"],
    )


def test_partial_credit_proportions_round_half_up_per_category():
    course = CourseTerms(
        hours=D("3"), allows_partial=True, credits=[("post", D("1")), ("iso_fire", D("0.5"))]
    )
    assert evaluate(course, 60, None).credits == [
        {"category": "post", "hours": D("0.33")},
        {"category": "iso_fire", "hours": D("0.17")},
    ]


def test_a_no_show_gets_nothing_even_where_partial_credit_is_allowed():
    outcome = evaluate(two_day_course(allows_partial=True), 0, None)
    assert outcome == Outcome(
        "none", D("0.00"), [], [], ["attended 0.00 of the 16.00 hours required"]
    )


def test_failing_a_course_that_requires_a_pass_earns_nothing_despite_full_attendance():
    outcome = evaluate(two_day_course(requires_pass=True), TWO_DAYS, False)
    assert outcome == Outcome(
        "none", D("0.00"), [], [], ["did not pass; the course requires a pass"]
    )


def test_without_a_recorded_result_a_course_that_requires_a_pass_is_not_complete():
    outcome = evaluate(two_day_course(requires_pass=True), TWO_DAYS, None)
    assert outcome.status == "none"
    assert outcome.reasons == ["no pass recorded; the course requires a pass"]


def test_a_failed_pass_and_missed_hours_are_both_explained():
    outcome = evaluate(two_day_course(requires_pass=True, allows_partial=True), 480, False)
    assert outcome.status == "none"
    assert outcome.reasons == [
        "did not pass; the course requires a pass",
        "attended 8.00 of the 16.00 hours required",
    ]


def test_passing_a_course_that_requires_a_pass_completes_it():
    assert evaluate(two_day_course(requires_pass=True), TWO_DAYS, True).status == "complete"


def test_failing_a_test_the_course_does_not_require_still_completes_it():
    assert evaluate(two_day_course(), TWO_DAYS, False).status == "complete"


AWARDS = [
    AwardTerms(1),  # needs the course's required hours
    AwardTerms(2, min_hours=D("8")),  # awarded after the first day
    AwardTerms(3, min_hours=D("4"), requires_pass=True),
]


def test_full_attendance_with_a_pass_earns_every_award():
    outcome = evaluate(two_day_course(awards=AWARDS), TWO_DAYS, True)
    assert outcome.certification_ids == [1, 2, 3]
    assert outcome.reasons == []


def test_an_award_with_its_own_minimum_is_earned_on_partial_attendance():
    outcome = evaluate(two_day_course(awards=AWARDS, allows_partial=True), 8 * 60, True)
    assert outcome.status == "partial"
    assert outcome.certification_ids == [2, 3]
    assert outcome.reasons == [
        "attended 8.00 of the 16.00 hours required",
        "certification 1 not awarded: it needs 16.00 hours, attended 8.00",
    ]


def test_an_award_that_requires_a_pass_is_withheld_from_someone_who_failed():
    outcome = evaluate(two_day_course(awards=AWARDS), TWO_DAYS, False)
    assert outcome.status == "complete"
    assert outcome.certification_ids == [1, 2]
    assert outcome.reasons == ["certification 3 not awarded: it requires a pass"]


def test_an_award_without_a_minimum_follows_the_90_percent_rule():
    course = two_day_course(min_attendance_pct=D("90"), awards=[AwardTerms(1)])
    assert evaluate(course, 864, None).certification_ids == [1]


def test_no_completion_means_no_award_however_low_its_minimum():
    outcome = evaluate(two_day_course(awards=AWARDS), 8 * 60, True)
    assert outcome.status == "none"
    assert outcome.certification_ids == []


def test_an_attendance_minimum_above_100_percent_is_refused():
    with pytest.raises(RuleViolation) as caught:
        evaluate(two_day_course(min_attendance_pct=D("120")), TWO_DAYS, None)
    assert caught.value.errors == {"min_attendance_pct": ["Must be between 0 and 100."]}


def test_negative_attendance_is_refused():
    with pytest.raises(RuleViolation) as caught:
        evaluate(two_day_course(), -1, None)
    assert caught.value.errors == {"minutes": ["Must be 0 or more."]}
