"""Today's date and the current instant, in one place so tests can set the calendar."""

import datetime
import zoneinfo


def today(timezone=None):
    """Today's date where `timezone` (an IANA name) is; UTC when none is given."""
    now = datetime.datetime.now(datetime.UTC)
    return (now.astimezone(zoneinfo.ZoneInfo(timezone)) if timezone else now).date()


def now():
    """The current instant in UTC, naive and to the second, as the database stores it."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
