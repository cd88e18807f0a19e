"""Whether attending (and passing) a course earns a completion, its hours, and awards."""

from dataclasses import dataclass, field
from decimal import Decimal

from .errors import RuleViolation
from .hours import as_hours, hours_from_minutes, split_credits


@dataclass
class AwardTerms:
    """A certification a course awards; min_hours None means the course's required hours."""

    certification_id: int
    min_hours: Decimal | None = None
    requires_pass: bool = False


@dataclass
class CourseTerms:
    hours: Decimal
    min_attendance_pct: Decimal = Decimal(100)
    requires_pass: bool = False
    allows_partial: bool = False
    credits: list = field(default_factory=list)  # (category, hours) for the whole course
    awards: list = field(default_factory=list)  # AwardTerms


@dataclass
class Outcome:
    status: str  # 'complete' | 'partial' | 'none'
    hours: Decimal
    credits: list  # {"category", "hours"}; empty for 'none'
    certification_ids: list
    reasons: list


def required_hours(terms):
    """Hours a person must attend: course hours times the minimum attendance."""
    return as_hours(as_hours(terms.hours) * Decimal(str(terms.min_attendance_pct)) / 100)


def evaluate(terms, attended_minutes, passed):
    """The outcome of attending `attended_minutes` of a course; `passed` None = no result."""
    _check(terms)
    course_hours, required = as_hours(terms.hours), required_hours(terms)
    attended = min(hours_from_minutes(attended_minutes), course_hours)
    reasons = []
    if terms.requires_pass and passed is not True:
        reasons.append(
            "did not pass; the course requires a pass"
            if passed is False
            else "no pass recorded; the course requires a pass"
        )
    if attended < required:
        reasons.append(f"attended {attended} of the {required} hours required")
        if not terms.allows_partial and attended > 0:
            reasons.append("the course gives no credit for partial attendance")
    if terms.requires_pass and passed is not True:
        status = "none"
    elif attended >= required:
        status = "complete"
    elif terms.allows_partial and attended > 0:
        status = "partial"
    else:
        status = "none"
    if status == "none":
        return Outcome("none", as_hours(0), [], [], reasons)
    earned = []
    for award in terms.awards:
        needed = required if award.min_hours is None else as_hours(award.min_hours)
        if attended < needed:
            reasons.append(
                f"certification {award.certification_id} not awarded: "
                f"it needs {needed} hours, attended {attended}"
            )
        elif award.requires_pass and passed is not True:
            reasons.append(
                f"certification {award.certification_id} not awarded: it requires a pass"
            )
        else:
            earned.append(award.certification_id)
    return Outcome(
        status, attended, split_credits(attended, course_hours, terms.credits), earned, reasons
    )


def _check(terms):
    errors = {}
    if as_hours(terms.hours) < 0:
        errors["hours"] = ["Must be 0 or more."]
    if not 0 <= Decimal(str(terms.min_attendance_pct)) <= 100:
        errors["min_attendance_pct"] = ["Must be between 0 and 100."]
    if errors:
        raise RuleViolation("The course terms are invalid.", errors)
