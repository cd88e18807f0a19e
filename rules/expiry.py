"""When certifications expire: the end-of-month rule.

A certification issued on any day of month M with a validity of N months stays valid
through the last day of month M+N: issued 2026-03-14 for 24 months expires 2028-03-31;
issued 2026-01-31 for 1 month expires 2026-02-28. No validity means it never expires.
"""

import calendar
import datetime

from .errors import RuleViolation


def add_months(day, months):
    """`day` moved by `months` (may be negative), clamped to the end of a shorter month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def expires_on(issued_on, validity_months):
    """Last day of validity, or None for a certification that never expires."""
    if validity_months is None:
        return None
    if validity_months < 1:
        raise RuleViolation(
            "Validity must be at least one month.",
            {"validity_months": ["Must be 1 or more, or null."]},
        )
    return end_of_month(add_months(issued_on, validity_months))


def renewed_expiry(issued_on, current_expires_on, validity_months):
    """Expiry of a renewal; pass current_expires_on None when the current award is revoked.

    Renewing early keeps the unused time: validity runs from the current expiry. Renewing
    late (or with nothing current) runs from the new issue date.
    """
    start = issued_on
    if current_expires_on is not None and current_expires_on > issued_on:
        start = current_expires_on
    return expires_on(start, validity_months)


def award_status(revoked, expires_on, today):
    """'revoked', 'expired' or 'valid'; an award is valid through its expiry date."""
    if revoked:
        return "revoked"
    if expires_on is not None and today > expires_on:
        return "expired"
    return "valid"
