"""What closing each class concluded for a person, as their transcript shows it."""

import datetime
import zoneinfo

from peewee import fn

from models import Agency, Attempt, Course, Session
from statements import Slot, Statement


def _as_datetime(value):
    # SQLite hands aggregates back as text
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def attempts_of(person, first=None, last=None):
    """The person's attempts, by the class's last day where the host agency is, each a dict
    (with `ended_on`), those ending from `first` to `last` (either may be None); one query
    for the lot."""
    views = []
    for attempt in ATTEMPTS.rows(person=person.id):
        zone = zoneinfo.ZoneInfo(attempt.issuer.timezone)
        ended = _as_datetime(attempt.ends_at).replace(tzinfo=datetime.UTC).astimezone(zone)
        day = ended.date()
        if (first is not None and day < first) or (last is not None and day > last):
            continue
        views.append(
            {
                "id": attempt.id,
                "offering_id": attempt.offering_id,
                "course_id": attempt.course_id,
                "title": attempt.course.title,
                "issuer_id": attempt.issuer_id,
                "issuer_name": attempt.issuer.name,
                "ended_on": day,
                "outcome": attempt.outcome,
                "hours_attended": attempt.hours_attended,
                "hours_required": attempt.hours_required,
                "reasons": attempt.reasons,
                "completion_id": attempt.completion_id,
                "updated_at": attempt.updated_at,
            }
        )
    return sorted(views, key=lambda view: (view["ended_on"], view["id"]))


def _attempts():
    last_end = Session.select(fn.MAX(Session.ends_at)).where(Session.offering == Attempt.offering)
    return (
        Attempt.select(Attempt, Course, Agency, last_end.alias("ends_at"))
        .join(Course, on=(Attempt.course == Course.id))
        .switch(Attempt)
        .join(Agency, on=(Attempt.issuer == Agency.id))
        .where(Attempt.person == Slot("person"))
    )


ATTEMPTS = Statement(_attempts)  # its SQL (three tables' columns) written once
