"""Verify requests counted per client address in the database, so the limit holds across
every server process: one upsert per request, no lock held, no process memory."""

import time

from flask import current_app, request

from models import RateCount

SCOPE = "verify"


def _setting(name):
    value = current_app.config.get(name)
    return int(value) if value not in (None, "") else 0


def over_limit():
    """Count this request against its address; the seconds until the window ends when the
    address has made more than VERIFY_RATE_LIMIT requests in it, else None (0 = no limit)."""
    limit, window = _setting("VERIFY_RATE_LIMIT"), _setting("VERIFY_RATE_WINDOW")
    if limit <= 0 or window <= 0:
        return None
    now = time.time()
    start = int(now // window) * window
    address = (request.remote_addr or "unknown")[:64]
    fields = (RateCount.scope, RateCount.address, RateCount.window_start)
    (hits,) = (
        RateCount.insert(scope=SCOPE, address=address, window_start=start, hits=1)
        .on_conflict(conflict_target=fields, update={RateCount.hits: RateCount.hits + 1})
        .returning(RateCount.hits)
        .tuples()
        .execute()
    )[0]
    if hits == 1:  # a new window for this address: forget windows that have passed
        RateCount.delete().where(RateCount.window_start < start - window).execute()
    if hits <= limit:
        return None
    return max(1, int(start + window - now + 0.999))
