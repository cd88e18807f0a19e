"""Plain events written as an RFC 5545 calendar, each time in its host's timezone."""

import datetime
import zoneinfo

from icalendar import Calendar, Event

PRODID = "-//Muster//Joint training calendar//EN"


def _aware(value, timezone):
    """Stored naive UTC as the wall-clock time where `timezone` is (TZID on output)."""
    return value.replace(tzinfo=datetime.UTC).astimezone(zoneinfo.ZoneInfo(timezone))


def render(name, events, now):
    """The calendar `name` with one VEVENT per event and a VTIMEZONE per timezone used."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = now.replace(tzinfo=datetime.UTC)
    for item in events:
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", _aware(item["starts_at"], item["timezone"]))
        event.add("dtend", _aware(item["ends_at"], item["timezone"]))
        event.add("summary", item["summary"])
        event.add("description", item["description"])
        if item["location"]:
            event.add("location", item["location"])
        event.add("url", item["url"])
        event.add("status", item["status"])
        event.add("sequence", item["sequence"])
        event.add("last-modified", item["updated_at"].replace(tzinfo=datetime.UTC))
        calendar.add_component(event)
    if events:
        first = min(item["starts_at"] for item in events).date() - datetime.timedelta(days=366)
        last = max(item["ends_at"] for item in events).date() + datetime.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
        for zone in calendar.walk("VTIMEZONE"):
            _one_date_per_rdate(zone)
    return calendar.to_ical()


def _one_date_per_rdate(zone):
    """Write each transition as its own RDATE line, the first onset (DTSTART) among them:
    RFC 5545 allows a list, and DTSTART alone counts, but common parsers (ical.js among
    them) read only a list's first date and skip DTSTART once there are RDATEs."""
    for rule in zone.subcomponents:
        if "RDATE" not in rule:
            continue
        lists = rule.pop("RDATE")
        dates = [
            d.dt for rdate in (lists if isinstance(lists, list) else [lists]) for d in rdate.dts
        ]
        for moment in sorted({rule.decoded("DTSTART"), *dates}):
            rule.add("rdate", moment)
