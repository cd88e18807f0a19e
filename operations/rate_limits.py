"""Requests counted per client address in the database, so a limit holds across every
server process: one upsert per request, no lock held, no process memory."""

import time

from models import RateCount


def count_request(scope, address, limit, window):
    """Count a request of `address` against `scope`; the seconds until the window ends when
    the address has made more than `limit` requests in it, else None (0: no limit)."""
    if limit <= 0 or window <= 0:
        return None
    now = time.time()
    start = int(now // window) * window
    fields = (RateCount.scope, RateCount.address, RateCount.window_start)
    (hits,) = (
        RateCount.insert(scope=scope, address=address[:64], window_start=start, hits=1)
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
