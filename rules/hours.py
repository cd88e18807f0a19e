"""Hours as Decimals to the hundredth: from minutes, split over credit categories, summed."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from memo import Memo

from .errors import RuleViolation

CENT = Decimal("0.01")


def as_hours(value):
    """Any number (int, str, float, Decimal) as hours to 2 places, halves rounded up."""
    # str() first so a float like 0.1 becomes 0.1, not its binary approximation
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def hours_from_minutes(minutes):
    if minutes < 0:
        raise RuleViolation("Minutes cannot be negative.", {"minutes": ["Must be 0 or more."]})
    return as_hours(Decimal(str(minutes)) / 60)


def split_credits(credited_hours, course_hours, credits):
    """Each category's share of `credited_hours`, in the order given.

    `credits` lists (category, hours) for the whole course. A category gets its hours
    scaled by credited/course hours; full credit (or more) gets the listed hours exactly.
    """
    credited, course = as_hours(credited_hours), as_hours(course_hours)
    if credited < 0:
        raise RuleViolation("Credited hours cannot be negative.", {"hours": ["Must be 0 or more."]})
    ratio = Decimal(1) if credited >= course else credited / course
    return [
        {"category": category, "hours": as_hours(Decimal(str(hours)) * ratio)}
        for category, hours in map(_pair, credits)
    ]


def stored_credits(credits):
    """Credits as a record keeps them: [{"category", "hours": "4.00"}], order kept."""
    return [
        {"category": category, "hours": str(as_hours(hours))}
        for category, hours in map(_pair, credits or ())
    ]


def totals(completions):
    """(total hours, {category: hours} sorted by category) over completions or dicts."""
    mapped = Memo(lambda kind: issubclass(kind, Mapping))  # asked once per kind of item
    return summed(
        (item["hours"], item["credits"]) if mapped[type(item)] else (item.hours, item.credits)
        for item in completions
    )


def summed(records):
    """totals() of (hours, credits) pairs, one a completion."""
    return summed_kinds((hours, credits, 1) for hours, credits in records)


def summed_kinds(kinds):
    """summed() of (hours, credits, how many completions) triples: completions alike are
    added once, times their number (hundredths add exactly, in any order)."""
    total, by_category = as_hours(0), {}
    worth = Memo(as_hours)  # records repeat their hours: each distinct value worked out once
    for hours, credits, count in kinds:
        total += worth[hours] * count
        for category, credited in map(_pair, credits or ()):
            by_category[category] = by_category.get(category, worth[0]) + worth[credited] * count
    return total, dict(sorted(by_category.items()))


def _pair(credit):
    """A credit as (category, hours), whether stored as a pair or as a JSON object."""
    if isinstance(credit, Mapping):
        return credit["category"], credit["hours"]
    category, hours = credit
    return category, hours
