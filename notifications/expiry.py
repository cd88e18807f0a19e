"""The daily expiry scan: an alert at each of the agency's offsets before an award lapses.

Each alert is an event keyed by award and offset, so repeated scans (and two workers
scanning at once) record it once; an award renewed by a newer one is not alerted.
"""

import datetime

from database import in_write_transaction
from models import Agency, AgencyNotificationSetting, Award, Certification, Person
from operations.events import emit
from rules import clock

DEFAULT_OFFSETS = (90, 30, 7, 0)  # days before the last valid day; 0: on that day


def due_offset(expires_on, today, offsets):
    """The alert due today for an award valid through `expires_on`: the nearest offset
    already reached (an earlier one missed while no scan ran is not sent late), or None."""
    if today > expires_on:
        return None
    left = (expires_on - today).days
    reached = [offset for offset in offsets if offset >= left]
    return min(reached) if reached else None


def agency_offsets():
    """{agency id: offsets} for agencies that set their own; the rest use the default."""
    return {
        agency_id: tuple(offsets)
        for agency_id, offsets in AgencyNotificationSetting.select(
            AgencyNotificationSetting.agency, AgencyNotificationSetting.expiry_offsets
        )
        .where(AgencyNotificationSetting.expiry_offsets.is_null(False))
        .tuples()
    }


def _renewed(award):
    """A valid award of the same certification lasting longer replaces this one."""
    newer = Award.alias()
    return (
        newer.select()
        .where(
            newer.person == award.person,
            newer.certification == award.certification,
            newer.id != award.id,
            newer.revoked_at.is_null(),
            newer.expires_on.is_null() | (newer.expires_on > award.expires_on),
        )
        .exists()
    )


@in_write_transaction
def scan(today=None):
    """Record the expiry alerts due today; returns how many awards were considered."""
    today = today or clock.today()
    offsets = agency_offsets()
    longest = max([*DEFAULT_OFFSETS, *(o for values in offsets.values() for o in values)])
    awards = (
        Award.select(Award, Person, Certification, Agency)
        .join(Person)
        .join(Agency)
        .switch(Award)
        .join(Certification)
        .where(
            Award.revoked_at.is_null(),
            Award.expires_on.is_null(False),
            Award.expires_on >= today - datetime.timedelta(days=1),  # a timezone behind
            Award.expires_on <= today + datetime.timedelta(days=longest + 1),
            Person.merged_into.is_null(),
            Person.voided_at.is_null(),
        )
        .order_by(Award.id)
    )
    considered = 0
    for award in awards.iterator():
        person = award.person
        local_today = clock.today(person.agency.timezone)
        offset = due_offset(
            award.expires_on, local_today, offsets.get(person.agency_id, DEFAULT_OFFSETS)
        )
        if offset is None or _renewed(award):
            continue
        considered += 1
        emit(
            "certification.expiring",
            {
                "award_id": award.id,
                "number": award.number,
                "certification": award.certification.name,
                "issuing_body": award.certification.issuing_body,
                "person_id": person.id,
                "person_name": person.full_name,
                "expires_on": award.expires_on.isoformat(),
                "days_left": (award.expires_on - local_today).days,
                "offset": offset,
            },
            agency_ids=[person.agency_id],
            person_id=person.id,
            key=f"certification.expiring:{award.id}:{offset}",
        )
    return considered
