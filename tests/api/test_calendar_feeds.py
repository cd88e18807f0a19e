"""Calendar feeds: secret URLs that calendar apps subscribe to, read back by an independent
parser (ical.js) with the right local times across a daylight-saving change."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import OpenClass, assert_error, created, stored_text

PEERS = Path(__file__).resolve().parents[1] / "peers"
# Chicago: the Friday before the clocks go forward (CST, -06:00) and the Monday after (CDT)
ACROSS_DST = (
    {"starts_at": "2027-03-12T08:00:00-06:00", "ends_at": "2027-03-12T16:00:00-06:00"},
    {"starts_at": "2027-03-15T08:00:00-05:00", "ends_at": "2027-03-15T16:00:00-05:00"},
)


@pytest.fixture
def hazmat(world):
    return OpenClass(world, sessions=ACROSS_DST)


def new_feed(caller, user_id, kind, **extra):
    return created(caller.post(f"/users/{user_id}/calendar-feeds", json={"kind": kind, **extra}))


def feed_path(feed):
    return feed["url"][feed["url"].index("/api/v1/") :]


def parsed(anonymous, feed):
    """The feed fetched with no token and read by ical.js: (calendar, {uid: event})."""
    response = anonymous.get(feed_path(feed))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    done = subprocess.run(
        ["node", "parse-ics.cjs"], cwd=PEERS, input=response.get_data(), capture_output=True
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    calendar, *events = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return calendar, {event["uid"]: event for event in events}


def user_id(world, email):
    users = world.admin.get("/users?page_size=100").get_json()
    return next(u["id"] for u in users if u["email"] == email)


def test_an_agency_feed_reads_back_in_ical_js_with_local_times_across_dst(
    world, hazmat, anonymous, peers
):
    feed = new_feed(world.police_coordinator, user_id(world, "pc@rpd.test"), "agency")
    assert feed["kind"] == "agency" and feed["agency_id"] == world.police["id"]
    calendar, events = parsed(anonymous, feed)
    assert calendar["version"] == "2.0" and calendar["timezones"] == ["America/Chicago"]
    sessions = [s["id"] for s in hazmat.offering["sessions"]]
    assert sorted(events) == sorted(f"session-{s}@muster" for s in sessions)
    before, after = (events[f"session-{s}@muster"] for s in sessions)
    assert (before["tzid"], before["local_start"], before["utc_start"]) == (
        "America/Chicago",
        "2027-03-12T08:00:00",
        "2027-03-12T14:00:00.000Z",
    )
    assert (after["tzid"], after["local_start"], after["utc_start"]) == (
        "America/Chicago",
        "2027-03-15T08:00:00",
        "2027-03-15T13:00:00.000Z",
    )
    assert (after["status"], after["sequence"], after["location"]) == (
        "CONFIRMED",
        0,
        "Riverton Training Ground",
    )
    assert after["url"].endswith(f"/api/v1/offerings/{hazmat.offering['id']}")
    # a change keeps the UIDs and bumps the SEQUENCE
    response = world.fire_coordinator.patch(hazmat.path, json={"location": "Station 4"})
    assert response.status_code == 200, response.get_json()
    _, again = parsed(anonymous, feed)
    assert sorted(again) == sorted(events)
    assert {(e["sequence"], e["location"]) for e in again.values()} == {(1, "Station 4")}


def test_an_agency_that_is_no_partner_sees_no_event(world, hazmat, anonymous, peers):
    feed = new_feed(hazmat.dispatch_coordinator, user_id(world, "dc@r911.test"), "agency")
    _, events = parsed(anonymous, feed)
    assert events == {}


def test_a_class_the_host_cancels_shows_cancelled_with_a_higher_sequence(
    world, hazmat, anonymous, peers
):
    feed = new_feed(world.police_coordinator, user_id(world, "pc@rpd.test"), "agency")
    _, before = parsed(anonymous, feed)
    path = f"/offerings/{hazmat.offering['id']}/cancel"
    assert world.fire_coordinator.post(path, json={"reason": "Storm"}).status_code == 200
    _, after = parsed(anonymous, feed)
    assert sorted(after) == sorted(before)
    assert {event["status"] for event in before.values()} == {"CONFIRMED"}
    assert {event["status"] for event in after.values()} == {"CANCELLED"}
    assert all(after[uid]["sequence"] > before[uid]["sequence"] for uid in after)


def test_the_host_feed_shows_the_classes_it_runs(world, hazmat, anonymous, peers):
    feed = new_feed(world.fire_coordinator, user_id(world, "fc@rfd.test"), "host")
    _, events = parsed(anonymous, feed)
    assert len(events) == 2


def test_a_personal_feed_shows_a_withdrawn_registration_as_cancelled(
    world, hazmat, anonymous, peers
):
    officer_id = user_id(world, "sean@rpd.test")
    feed = new_feed(world.officer, officer_id, "personal")
    assert parsed(anonymous, feed)[1] == {}
    pending = world.officer.post(
        f"{hazmat.path}/registrations", json={"person_id": world.officer_person["id"]}
    ).get_json()
    _, events = parsed(anonymous, feed)
    assert {e["status"] for e in events.values()} == {"TENTATIVE"}
    world.police_coordinator.post(f"/registrations/{pending['id']}/approve")
    _, confirmed = parsed(anonymous, feed)
    assert {e["status"] for e in confirmed.values()} == {"CONFIRMED"}
    response = world.officer.post(
        f"/registrations/{pending['id']}/cancel", json={"reason": "Shift change."}
    )
    assert response.status_code == 200, response.get_json()
    _, cancelled = parsed(anonymous, feed)
    assert sorted(cancelled) == sorted(confirmed)  # the same events, now cancelled
    assert {e["status"] for e in cancelled.values()} == {"CANCELLED"}
    assert all(cancelled[uid]["sequence"] > confirmed[uid]["sequence"] for uid in confirmed), (
        "calendar apps replace an event only for a higher SEQUENCE"
    )
    # the instructor's own feed holds the classes it teaches
    teaching = new_feed(world.instructor, user_id(world, "ana@rfd.test"), "personal")
    assert {e["status"] for e in parsed(anonymous, teaching)[1].values()} == {"CONFIRMED"}


def test_a_revoked_feed_url_answers_404(world, hazmat, anonymous, peers):
    owner = user_id(world, "pc@rpd.test")
    feed = new_feed(world.police_coordinator, owner, "agency")
    assert parsed(anonymous, feed)[1]
    secret = feed["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert secret not in list(stored_text())
    listed = world.police_coordinator.get(f"/users/{owner}/calendar-feeds").get_json()
    assert [(f["id"], f["revoked_at"], "url" in f) for f in listed] == [(feed["id"], None, False)]
    revoked = world.police_coordinator.delete(f"/users/{owner}/calendar-feeds/{feed['id']}")
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert_error(anonymous.get(feed_path(feed)), 404)
    assert_error(anonymous.get("/calendar/cal_not-a-feed.ics"), 404)
    again = world.police_coordinator.delete(f"/users/{owner}/calendar-feeds/{feed['id']}")
    assert_error(again, 409)
    audit = world.admin.get(f"/audit?entity=calendar_feed&entity_id={feed['id']}").get_json()
    assert [(e["action"], e["user_email"]) for e in audit] == [
        ("create", "pc@rpd.test"),
        ("revoke", "pc@rpd.test"),
    ]


def test_feeds_are_their_owners_own(world, hazmat):
    officer_id = user_id(world, "sean@rpd.test")
    assert_error(
        world.police_coordinator.post(
            f"/users/{officer_id}/calendar-feeds", json={"kind": "personal"}
        ),
        404,
    )
    coordinator = user_id(world, "pc@rpd.test")
    other = assert_error(
        world.police_coordinator.post(
            f"/users/{coordinator}/calendar-feeds",
            json={"kind": "agency", "agency_id": world.fire["id"]},
        ),
        422,
    )
    assert "agency_id" in other["errors"]["json"]
    no_person = assert_error(
        world.police_coordinator.post(
            f"/users/{coordinator}/calendar-feeds", json={"kind": "personal"}
        ),
        422,
    )
    assert "kind" in no_person["errors"]["json"]
    assert_error(
        world.police_coordinator.post(f"/users/{coordinator}/calendar-feeds", json={"kind": "x"}),
        422,
    )


def test_a_retried_feed_creation_replays_without_its_url_and_keeps_none_in_clear(world):
    officer_id = world.officer.get("/users/me").get_json()["id"]
    headers = {"Idempotency-Key": "feed-1"}
    path = f"/users/{officer_id}/calendar-feeds"
    first = created(world.officer.post(path, json={"kind": "personal"}, headers=headers))
    replay = world.officer.post(path, json={"kind": "personal"}, headers=headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == {**first, "url": None}  # shown once: create another if lost
    secret = first["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert not any(secret in text for text in stored_text())
