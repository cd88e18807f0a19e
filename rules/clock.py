"""Today's date for status and compliance, in one place so tests can set the calendar."""
import datetime


def today():
    """Today's date in UTC."""
    return datetime.datetime.now(datetime.timezone.utc).date()
