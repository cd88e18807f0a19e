"""Whether a person meets a requirement: hours per cycle, or a certification kept valid.

Hours are counted over consecutive cycles of `period_months` anchored at `cycle_start`
(default 2000-01-01, so 12 months are calendar years and 24 months start in even years).
The current cycle is the one containing today; it is due on its last day.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import RuleViolation
from .expiry import add_months, award_status
from .hours import as_hours

DEFAULT_CYCLE_START = datetime.date(2000, 1, 1)
KINDS = ("hours", "certification")


@dataclass
class RequirementTerms:
    id: int
    name: str
    kind: str  # 'hours' | 'certification'
    hours: Decimal | None = None  # None: no total, only the category minimums
    period_months: int | None = None
    cycle_start: datetime.date | None = None
    category: str | None = None  # only this category's credit hours count toward `hours`
    category_hours: dict = field(default_factory=dict)  # {category: minimum hours}
    certification_id: int | None = None


@dataclass
class CompletionFacts:
    completed_on: datetime.date
    hours: Decimal
    credits: dict = field(default_factory=dict)  # {category: hours}


@dataclass
class AwardFacts:
    certification_id: int
    issued_on: datetime.date
    expires_on: datetime.date | None
    revoked: bool = False


@dataclass
class RequirementStatus:
    requirement_id: int
    name: str
    kind: str
    compliant: bool
    required: Decimal | None
    earned: Decimal | None
    short_by: Decimal
    due_by: datetime.date | None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    by_category: list = field(default_factory=list)  # {category, required, earned, short_by}
    certification_id: int | None = None
    status: str | None = None  # 'valid' | 'expired' | 'missing'
    expires_on: datetime.date | None = None


@functools.lru_cache(maxsize=1024)  # an agency's report asks it once per person
def current_cycle(cycle_start, period_months, today):
    """(first day, last day) of the cycle that contains today."""
    start = cycle_start or DEFAULT_CYCLE_START
    months = (today.year - start.year) * 12 + today.month - start.month
    cycle = months // period_months
    # each boundary is computed from the anchor so a clamped day never drifts
    while add_months(start, cycle * period_months) > today:
        cycle -= 1
    while add_months(start, (cycle + 1) * period_months) <= today:
        cycle += 1
    return (
        add_months(start, cycle * period_months),
        add_months(start, (cycle + 1) * period_months) - datetime.timedelta(days=1),
    )


def evaluate(req, completions, awards, today):
    """The status of one requirement for one person on `today`."""
    _check(req)
    if req.kind == "hours":
        return _hours_status(req, completions, today)
    return _certification_status(req, awards, today)


def _hours_status(req, completions, today):
    period_start, period_end = current_cycle(req.cycle_start, req.period_months, today)
    counted = [c for c in completions if period_start <= c.completed_on <= period_end]
    zero = as_hours(0)

    def earned_in(category):
        return sum((as_hours(c.credits.get(category, 0)) for c in counted), zero)

    earned = (
        earned_in(req.category) if req.category else sum((as_hours(c.hours) for c in counted), zero)
    )
    return hours_status(req, earned, {c: earned_in(c) for c in req.category_hours}, today)


def hours_status(req, earned, got, today):
    """The status of an hours requirement (checked terms) for a person who earned `earned`
    hours in its current cycle (in its category, if it names one) and `got` ({category:
    hours} for each of its category minimums), each the sum of as_hours of the records:
    evaluate's own judgement, for a report that sums many people's hours at once."""
    period_start, period_end = current_cycle(req.cycle_start, req.period_months, today)
    required, short_by, by_category = _shortfalls(req, earned, got)
    compliant = short_by == 0 and all(row["short_by"] == 0 for row in by_category)
    return RequirementStatus(
        req.id,
        req.name,
        "hours",
        compliant,
        required,
        earned,
        short_by,
        period_end,
        period_start,
        period_end,
        by_category,
    )


def _shortfalls(req, earned, got):
    zero = as_hours(0)
    required = None if req.hours is None else as_hours(req.hours)
    short_by = zero if required is None else max(required - earned, zero)
    by_category = []
    for category, minimum in sorted(req.category_hours.items()):
        minimum = as_hours(minimum)
        by_category.append(
            {
                "category": category,
                "required": minimum,
                "earned": got[category],
                "short_by": max(minimum - got[category], zero),
            }
        )
    return required, short_by, by_category


def check(req):
    """Raise RuleViolation, as evaluate does, for terms no person can be judged by."""
    _check(req)


def _certification_status(req, awards, today):
    held = [
        a
        for a in awards
        if a.certification_id == req.certification_id and not a.revoked and a.issued_on <= today
    ]
    valid = [a for a in held if award_status(False, a.expires_on, today) == "valid"]
    if valid:
        status = "valid"
        never = any(a.expires_on is None for a in valid)
        expires_on = None if never else max(a.expires_on for a in valid)
        due_by = expires_on
    else:
        status = "expired" if held else "missing"
        expires_on = max((a.expires_on for a in held), default=None)
        due_by = today
    return RequirementStatus(
        req.id,
        req.name,
        "certification",
        status == "valid",
        None,
        None,
        as_hours(0),
        due_by,
        certification_id=req.certification_id,
        status=status,
        expires_on=expires_on,
    )


def _check(req):
    errors = {}
    if req.kind not in KINDS:
        errors["kind"] = [f"Must be one of {', '.join(KINDS)}."]
    elif req.kind == "hours":
        if not req.period_months or req.period_months < 1:
            errors["period_months"] = ["Must be 1 or more for an hours requirement."]
        if req.hours is None and not req.category_hours:
            errors["hours"] = ["Give hours, category_hours, or both."]
    elif req.certification_id is None:
        errors["certification_id"] = ["Required for a certification requirement."]
    if errors:
        raise RuleViolation("The requirement is invalid.", errors)


def compliant(statuses):
    """Whether a person meets every requirement: nothing to check is not compliance."""
    return bool(statuses) and all(s.compliant for s in statuses)


def standing(statuses):
    """compliant, not_compliant, or no_requirements."""
    if not statuses:
        return "no_requirements"
    return "compliant" if compliant(statuses) else "not_compliant"
