"""Expiry alerts: the worker's daily scan tells the holder (and their coordinator) at each
of the agency's offsets before a certification lapses, once per award and offset however
often it runs, and not at all once a newer award renews it."""

import datetime

import pytest

from database import in_write_transaction
from models import Certification, Event
from notifications.expiry import DEFAULT_OFFSETS, due_offset
from operations.records import create_award
from tests.helpers import created

from .conftest import text_of

EXPIRES = datetime.date(2026, 8, 31)


@in_write_transaction
def award(person_id, certification_id, issued_on, expires_on, renews=None):
    return create_award(
        Certification.get_by_id(certification_id),
        issued_on,
        person=person_id,
        expires_on=expires_on,
        renews=renews,
    )


@pytest.fixture
def cpr(world):
    """The officer's CPR card, valid through 31 August 2026."""
    cert = created(
        world.police_coordinator.post(
            "/certifications",
            json={"name": "CPR Provider", "issuing_body": "AHA", "validity_months": 24},
        )
    )
    return award(world.officer_person["id"], cert["id"], datetime.date(2024, 8, 2), EXPIRES)


def alerts(smtp):
    return [m["Subject"] for m in smtp.to("sean@rpd.test")]


def run_days(calendar, work, days, times=2):
    for day in days:
        calendar(day)
        for _ in range(times):
            work()


def test_an_award_expiring_in_30_days_gets_one_alert_at_each_offset_across_runs(
    world, smtp, work, calendar, cpr
):
    run_days(calendar, work, [datetime.date(2026, 8, 1)])
    assert alerts(smtp) == ["Muster: CPR Provider expires in 30 days"]
    (first,) = smtp.to("sean@rpd.test")
    assert (
        f"Sean O'Brien's CPR Provider (AHA, no. {cpr.number}) is valid through "
        "Mon 31 Aug 2026: 30 days left." in text_of(first)
    )
    run_days(calendar, work, [datetime.date(2026, 8, d) for d in (2, 10, 23)])
    assert len(alerts(smtp)) == 1  # nothing between the offsets
    run_days(calendar, work, [datetime.date(2026, 8, d) for d in (24, 25, 30, 31)])
    run_days(calendar, work, [datetime.date(2026, 9, 1), datetime.date(2026, 12, 1)])
    assert alerts(smtp) == [
        "Muster: CPR Provider expires in 30 days",
        "Muster: CPR Provider expires in 7 days",
        "Muster: CPR Provider expires today",
    ]
    assert "it lapses at the end of today" in text_of(smtp.to("sean@rpd.test")[-1])
    keys = [e.key for e in Event.select().where(Event.kind == "certification.expiring")]
    assert sorted(keys) == [f"certification.expiring:{cpr.id}:{d}" for d in (0, 30, 7)]
    # the home coordinator hears of each in its morning digest, once
    coordinator = " ".join(text_of(m) for m in smtp.to("pc@rpd.test"))
    assert coordinator.count("Sean O'Brien's CPR Provider") == 3


def test_a_renewed_certification_is_not_alerted_again(world, smtp, work, calendar, cpr):
    run_days(calendar, work, [datetime.date(2026, 8, 1)])
    assert len(alerts(smtp)) == 1
    award(
        world.officer_person["id"],
        cpr.certification_id,
        datetime.date(2026, 8, 5),
        datetime.date(2028, 8, 31),
        renews=cpr.id,
    )
    run_days(calendar, work, [datetime.date(2026, 8, d) for d in (5, 24, 31)])
    assert alerts(smtp) == ["Muster: CPR Provider expires in 30 days"]


def test_the_agency_sets_the_days_its_people_are_alerted(world, smtp, work, calendar, cpr):
    police = world.police["id"]
    answer = world.police_coordinator.put(
        f"/agencies/{police}/notification-settings", json={"expiry_offsets": [1, 14]}
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"agency_id": police, "expiry_offsets": [14, 1]}
    run_days(calendar, work, [datetime.date(2026, 8, d) for d in (1, 16, 17, 24, 30, 31)])
    assert alerts(smtp) == [
        "Muster: CPR Provider expires in 14 days",
        "Muster: CPR Provider expires in 1 day",
    ]


def test_a_revoked_award_is_not_alerted(world, smtp, work, calendar, cpr):
    answer = world.police_coordinator.post(
        f"/awards/{cpr.id}/revoke", json={"reason": "Card found forged."}
    )
    assert answer.status_code == 200, answer.get_json()
    run_days(calendar, work, [datetime.date(2026, 8, 1), datetime.date(2026, 8, 31)])
    assert alerts(smtp) == ["Muster: Certification revoked: CPR Provider"]


@pytest.mark.parametrize(
    "today, offsets, due",
    [
        ("2026-06-02", DEFAULT_OFFSETS, 90),  # exactly 90 days left
        ("2026-06-01", DEFAULT_OFFSETS, None),  # 91 days left: not yet
        ("2026-07-15", DEFAULT_OFFSETS, 90),  # between 90 and 30: the 90-day notice
        ("2026-08-01", DEFAULT_OFFSETS, 30),  # a scan that missed 90 sends 30 only
        ("2026-08-25", DEFAULT_OFFSETS, 7),
        ("2026-08-31", DEFAULT_OFFSETS, 0),  # the last valid day
        ("2026-09-01", DEFAULT_OFFSETS, None),  # lapsed: the alerts are over
        ("2026-08-20", (14, 1), 14),
        ("2026-08-10", (14, 1), None),
    ],
)
def test_which_alert_is_due_on_a_day(today, offsets, due):
    assert due_offset(EXPIRES, datetime.date.fromisoformat(today), offsets) == due
