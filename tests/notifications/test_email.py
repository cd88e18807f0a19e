"""Notices by e-mail, read back from a real SMTP server on 127.0.0.1: who hears what, when
(at once or in the morning digest), in their agency's time, with an unsubscribe link per
kind; nothing for a change that rolled back; a file outbox when no SMTP server is set."""

import datetime
import email
import email.policy
import logging
from urllib.parse import urlparse

import pytest

import operations.registrations
from models import AuditEntry, Delivery, Event
from notifications.email import announce, next_digest
from rules import clock
from rules.errors import Conflict
from tests.helpers import OpenClass, assert_error, created

from .conftest import html_of, text_of

PROMOTED = (
    "A seat came free: Zoë Nakamura-Jones moved from the waitlist to a confirmed seat in "
    "Hazardous Materials Operations, starting Sat 20 Mar 2027 08:00 CDT."
)


def full_class(world):
    """A class of two seats, both taken by EMS people, and the medic on its waitlist."""
    hazmat = OpenClass(world, capacity=2, reserved=0)
    seated = [
        created(hazmat.register(world.ems_coordinator, person))
        for person in hazmat.people(world.ems, 2, "E")
    ]
    waiting = created(hazmat.register(world.ems_coordinator, hazmat.medic))
    assert [r["status"] for r in [*seated, waiting]] == ["confirmed", "confirmed", "waitlisted"]
    return hazmat, seated, waiting


def cancel(world, registration, reason="Called to a fire."):
    return world.ems_coordinator.post(
        f"/registrations/{registration['id']}/cancel", json={"reason": reason}
    )


def subjects(messages):
    return [message["Subject"] for message in messages]


def test_a_waitlist_promotion_mails_the_officer_at_once_and_their_coordinator_in_the_digest(
    world, smtp, work
):
    hazmat, seated, waiting = full_class(world)
    work()
    assert subjects(smtp.to("zoe@cems.test")) == [
        "Muster: Registration waitlisted: Hazardous Materials Operations"
    ]
    assert smtp.to("ec@cems.test") == []  # the coordinator's notices wait for the digest
    smtp.clear()

    assert cancel(world, seated[0]).status_code == 200
    assert work()["sent"] >= 2
    (promoted,) = smtp.to("zoe@cems.test")
    assert promoted["Subject"] == "Muster: Registration promoted: Hazardous Materials Operations"
    assert promoted["From"] == "Muster <muster@muster.test>"
    assert PROMOTED in text_of(promoted)
    assert PROMOTED in html_of(promoted)
    assert "Pat" not in text_of(promoted)  # nothing about the person who left
    assert smtp.to("ec@cems.test") == []
    # the instructor hears of their class at once; the host coordinator in its digest
    assert "Registration promoted" in " ".join(subjects(smtp.to("ana@rfd.test")))
    assert smtp.to("fc@rfd.test") == []

    morning = next_digest(clock.now(), "America/Chicago")
    assert morning.hour in (12, 13)  # 07:00 in Chicago, in UTC
    work(now=morning)
    (digest,) = smtp.to("ec@cems.test")
    assert digest["Subject"] == "Muster: 5 notice(s) today"
    body = text_of(digest)
    assert PROMOTED in body
    assert "Pat E 1's registration for Hazardous Materials Operations was cancelled: " in body
    assert body.count("Stop these (") == 5
    assert len(smtp.to("fc@rfd.test")) == 1  # the host's coordinator: one digest too
    work(now=morning)
    assert len(smtp.to("ec@cems.test")) == 1  # sent once
    assert Delivery.select().where(Delivery.status != "sent").count() == 0


def test_each_notice_carries_an_unsubscribe_link_for_its_kind_that_works_without_signing_in(
    world, smtp, work, anonymous
):
    hazmat, seated, waiting = full_class(world)
    work()
    (waitlisted,) = smtp.to("zoe@cems.test")
    (link,) = [
        line.split(": ", 1)[1]
        for line in text_of(waitlisted).splitlines()
        if line.startswith("Stop these (registration.waitlisted): ")
    ]
    assert waitlisted["List-Unsubscribe"] == f"<{link}>"
    assert waitlisted["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f'href="{link}"' in html_of(waitlisted)
    path = urlparse(link).path.removeprefix("/api/v1")
    assert link.startswith("http://127.0.0.1:8000/api/v1/notifications/unsubscribe/")

    def kinds():
        settings = hazmat.medic_user.get(f"/users/{me(hazmat.medic_user)}/notification-settings")
        return settings.get_json()["kinds"]

    # a mail scanner opening the link changes nothing: the page asks to confirm
    for _ in range(2):
        page = anonymous.get(path)
        assert (page.status_code, page.mimetype) == (200, "text/html")
        assert "registration.waitlisted" in kinds()
    html = page.get_data(as_text=True)
    assert '<h1 style="font-size: 1.2em">Stop registration.waitlisted notices?</h1>' in html
    assert '<form method="post">' in html
    assert '<input type="hidden" name="List-Unsubscribe" value="One-Click">' in html
    assert "http" not in html and "src=" not in html  # no external asset, no other link
    assert "Zoë" not in html and "zoe@" not in html  # nothing about whose link it is
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert AuditEntry.select().where(AuditEntry.action == "unsubscribe").count() == 0

    # the page's button posts the form from a browser, which is shown a page
    done = anonymous.post(
        path, data={"List-Unsubscribe": "One-Click"}, headers={"Accept": "text/html"}
    )
    assert (done.status_code, done.mimetype) == (200, "text/html")
    assert "You will no longer receive registration.waitlisted notices by e-mail." in (
        done.get_data(as_text=True)
    )
    assert "registration.waitlisted" not in kinds()
    assert "registration.cancelled" in kinds()
    assert AuditEntry.select().where(AuditEntry.action == "unsubscribe").count() == 1

    # a mail client's one-click POST (RFC 8058) is answered in JSON, and once is enough
    one_click = anonymous.post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.get_json() == {
        "user_id": me(hazmat.medic_user),
        "kind": "registration.waitlisted",
        "message": "You will no longer receive registration.waitlisted notices by e-mail.",
    }
    assert AuditEntry.select().where(AuditEntry.action == "unsubscribe").count() == 1
    for forged in (anonymous.get(path[:-3] + "xyz"), anonymous.post(path[:-3] + "xyz")):
        assert_error(forged, 404)

    smtp.clear()
    assert cancel(world, waiting).status_code == 200
    again = created(hazmat.register(world.ems_coordinator, hazmat.medic))
    assert again["status"] == "waitlisted"
    work()
    assert subjects(smtp.to("zoe@cems.test")) == [
        "Muster: Registration cancelled: Hazardous Materials Operations"
    ]


def me(caller):
    return caller.get("/users/me").get_json()["id"]


def test_a_change_that_rolls_back_after_its_event_sends_nothing(world, smtp, work, monkeypatch):
    hazmat, seated, waiting = full_class(world)
    work()
    smtp.clear()
    recorded = []

    def withdraw_fails(entry, reason, actor):
        # the cancellation's event is already written in this transaction...
        recorded.append(Event.select().where(Event.kind == "registration.cancelled").count())
        raise Conflict("The roster is being corrected; try again.")

    monkeypatch.setattr(operations.registrations, "withdraw", withdraw_fails)
    assert_error(cancel(world, seated[0]), 409)
    assert recorded == [1]
    # ...and rolled back with it: no event, no delivery, no e-mail, the seat still taken
    assert Event.select().where(Event.kind.in_(["registration.cancelled"])).count() == 0
    assert work().get("sent", 0) == 0
    assert smtp.messages == []
    status = world.ems_coordinator.get(f"/registrations/{seated[0]['id']}").get_json()["status"]
    assert status == "confirmed"


def test_without_smtp_mail_goes_to_a_file_outbox_and_the_server_says_so(
    app, world, work, tmp_path, caplog
):
    outbox = tmp_path / "outbox"
    app.config.update(SMTP_HOST=None, MAIL_OUTBOX=str(outbox))
    with caplog.at_level(logging.WARNING):
        announce(app)
    assert f"e-mail is written to the file outbox {outbox}/*.eml" in caplog.text

    hazmat = OpenClass(world, capacity=2, reserved=0)
    created(hazmat.register(world.ems_coordinator, hazmat.medic))
    work()
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    ]
    to_medic = [m for m in messages if m["To"] == "zoe@cems.test"]
    assert subjects(to_medic) == ["Muster: Registration confirmed: Hazardous Materials Operations"]
    assert "Zoë Nakamura-Jones has a confirmed seat in" in text_of(to_medic[0])


@pytest.mark.parametrize(
    "now, zone, due",
    [
        ("2026-07-01T11:00:00", "America/Chicago", "2026-07-01T12:00:00"),  # 06:00 CDT
        ("2026-07-01T12:00:00", "America/Chicago", "2026-07-02T12:00:00"),  # 07:00 sharp
        ("2026-01-15T23:00:00", "America/Chicago", "2026-01-16T13:00:00"),  # CST
        ("2026-03-07T20:00:00", "America/Chicago", "2026-03-08T12:00:00"),  # DST begins
        ("2026-07-01T05:00:00", "UTC", "2026-07-01T07:00:00"),
    ],
)
def test_the_digest_leaves_at_seven_in_the_morning_where_the_recipient_is(now, zone, due):
    moment = datetime.datetime.fromisoformat(now)
    assert next_digest(moment, zone) == datetime.datetime.fromisoformat(due)
