"""What makes an agency's compliance requirement well formed, before it is stored.

An 'hours' requirement asks for more than 0 hours per period of at least one month
(optionally only one credit category's hours count, and some categories have minimums
of their own, none above the total); a 'certification' requirement names a known
certification that must stay valid, and nothing about hours or periods.
"""

from .compliance import KINDS
from .errors import RuleViolation
from .hours import as_hours

MAX_HOURS = as_hours(10000)
MAX_PERIOD_MONTHS = 120
HOURS_TERMS = ("hours", "period_months", "cycle_start", "category", "category_hours")


def check_requirement(terms, certification_known):
    """The requirement's terms, cleaned (hours to two places); RuleViolation naming fields.

    `terms` holds every field of the requirement as it would be stored: for an update,
    the stored values with the changes applied. `certification_known`: whether the
    certification it names exists.
    """
    terms = dict(terms)
    errors = {}
    if terms["kind"] not in KINDS:
        errors["kind"] = [f"Must be one of {', '.join(KINDS)}."]
    elif terms["kind"] == "hours":
        errors.update(_hours_errors(terms))
    else:
        errors.update(_certification_errors(terms, certification_known))
    if errors:
        raise RuleViolation("The requirement is invalid.", errors)
    if terms["kind"] == "hours":
        terms["hours"] = as_hours(terms["hours"])
        terms["category_hours"] = {
            category: str(as_hours(hours))
            for category, hours in sorted((terms.get("category_hours") or {}).items())
        }
    else:
        terms["category_hours"] = {}
    return terms


def _hours_errors(terms):
    errors = {}
    hours = terms.get("hours")
    if hours is None:
        errors["hours"] = ["Required for an hours requirement."]
    elif not 0 < as_hours(hours) <= MAX_HOURS:
        errors["hours"] = [f"Must be more than 0 and at most {MAX_HOURS}."]
    months = terms.get("period_months")
    if months is None:
        errors["period_months"] = ["Required for an hours requirement."]
    elif not 1 <= months <= MAX_PERIOD_MONTHS:
        errors["period_months"] = [f"Must be 1 to {MAX_PERIOD_MONTHS} months."]
    per_category = {}
    for category, minimum in (terms.get("category_hours") or {}).items():
        minimum = as_hours(minimum)
        if minimum <= 0:
            per_category[category] = ["Must be more than 0."]
        elif "hours" not in errors and minimum > as_hours(hours):
            per_category[category] = ["More than the requirement's hours."]
    if per_category:
        errors["category_hours"] = per_category
    if terms.get("certification_id") is not None:
        errors["certification_id"] = ["Only a certification requirement names one."]
    return errors


def _certification_errors(terms, certification_known):
    errors = {}
    certification_id = terms.get("certification_id")
    if certification_id is None:
        errors["certification_id"] = ["Required for a certification requirement."]
    elif not certification_known:
        errors["certification_id"] = ["Unknown certification."]
    for name in HOURS_TERMS:
        if terms.get(name) not in (None, {}):
            errors[name] = ["Not used by a certification requirement."]
    return errors
