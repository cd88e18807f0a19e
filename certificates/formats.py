"""Dates, times and hours as documents print them, the same whatever the server's locale."""

from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "January February March April May June July August September October November December"
).split()


def long_date(day):
    """March 14, 2026."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def date_range(first, last):
    """March 14, 2026; March 14–15, 2026; March 30 – April 2, 2026; or across years."""
    if last is None or first == last:
        return long_date(first)
    if first.year != last.year:
        return f"{long_date(first)} – {long_date(last)}"
    if first.month != last.month:
        return f"{MONTHS[first.month - 1]} {first.day} – {long_date(last)}"
    return f"{MONTHS[first.month - 1]} {first.day}–{last.day}, {first.year}"


def hours(value):
    """16.00: hours always with two places, as the records keep them."""
    return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def clock(moment):
    """08:30: a local time of day."""
    return f"{moment.hour:02d}:{moment.minute:02d}"
