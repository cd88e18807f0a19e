"""Hours from minutes, split across credit categories, and summed."""

from decimal import Decimal as D

import pytest

from rules.errors import RuleViolation
from rules.hours import as_hours, hours_from_minutes, split_credits, summed, summed_kinds, totals


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(480, D("8.00")), (50, D("0.83")), (1, D("0.02")), (3, D("0.05")), (0, D("0.00"))],
)
def test_minutes_become_hours_to_the_hundredth_rounding_halves_up(minutes, hours):
    assert hours_from_minutes(minutes) == hours


def test_hours_always_carry_two_places():
    assert str(hours_from_minutes(480)) == "8.00"
    assert str(as_hours(0.1)) == "0.10"
    assert as_hours("2.345") == D("2.35")


def test_negative_minutes_are_refused():
    with pytest.raises(RuleViolation) as caught:
        hours_from_minutes(-5)
    assert caught.value.errors == {"minutes": ["Must be 0 or more."]}


def test_a_full_completion_gets_every_category_in_full():
    credits = [("post", D("8")), ("nccp_national", D("4.5"))]
    assert split_credits(D("8"), D("8"), credits) == [
        {"category": "post", "hours": D("8.00")},
        {"category": "nccp_national", "hours": D("4.50")},
    ]


def test_partial_hours_split_each_category_in_proportion_keeping_the_order():
    credits = [("post", D("6")), ("iso_fire", D("3"))]
    assert split_credits(D("4"), D("8"), credits) == [
        {"category": "post", "hours": D("3.00")},
        {"category": "iso_fire", "hours": D("1.50")},
    ]


def test_each_category_share_is_rounded_half_up_on_its_own():
    # 1.00 of 3.00 hours: 1/3 of 1.00 = 0.333..., 1/3 of 0.50 = 0.1666..., 1/3 of 0.15 = 0.05
    credits = [("a", D("1")), ("b", D("0.5")), ("c", D("0.15"))]
    assert split_credits(D("1"), D("3"), credits) == [
        {"category": "a", "hours": D("0.33")},
        {"category": "b", "hours": D("0.17")},
        {"category": "c", "hours": D("0.05")},
    ]


def test_credited_hours_above_the_course_hours_never_inflate_a_category():
    assert split_credits(D("10"), D("8"), [("post", D("8"))]) == [
        {"category": "post", "hours": D("8.00")}
    ]


def test_credits_stored_as_json_objects_split_like_pairs():
    assert split_credits(D("2"), D("4"), [{"category": "post", "hours": "3"}]) == [
        {"category": "post", "hours": D("1.50")}
    ]


def test_a_course_without_credit_categories_splits_into_nothing():
    assert split_credits(D("4"), D("8"), []) == []


def test_totals_add_hours_and_each_category_sorted_by_name():
    completions = [
        {
            "hours": D("8.00"),
            "credits": [
                {"category": "post", "hours": D("8.00")},
                {"category": "ems", "hours": D("2.00")},
            ],
        },
        {"hours": "1.5", "credits": [{"category": "post", "hours": "1.25"}]},
        {"hours": D("3.00"), "credits": []},
    ]
    total, by_category = totals(completions)
    assert total == D("12.50")
    assert by_category == {"ems": D("2.00"), "post": D("9.25")}
    assert list(by_category) == ["ems", "post"]


def test_totals_read_completion_objects_too():
    class Completion:
        hours = D("4.00")
        credits = [{"category": "nccp_national", "hours": D("4.00")}]

    assert totals([Completion(), Completion()]) == (D("8.00"), {"nccp_national": D("8.00")})


def test_no_completions_total_zero():
    assert totals([]) == (D("0.00"), {})


def test_records_alike_added_once_times_their_number_sum_as_one_by_one():
    credits = [{"category": "state_post", "hours": "2.5"}, {"category": "ems", "hours": 1.25}]
    records = [(7.5, credits)] * 3 + [("0.1", None), ("0.1", [])] + [(4, credits[:1])] * 2
    kinds = [(7.5, credits, 3), ("0.1", None, 1), ("0.1", [], 1), (4, credits[:1], 2)]
    total, by_category = summed_kinds(kinds)
    assert (total, by_category) == summed(records)
    assert (str(total), {k: str(v) for k, v in by_category.items()}) == (
        "30.70",
        {"ems": "3.75", "state_post": "12.50"},
    )
