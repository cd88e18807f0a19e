"""GET/PUT /users/{id}/notification-settings and /agencies/{id}/notification-settings: each
user reads and changes what they hear (a coordinator for its agency's users too), within
scope, audited; bad input names the field."""

from models import AuditEntry
from notifications.email import KINDS
from tests.helpers import assert_error


def me(caller):
    return caller.get("/users/me").get_json()["id"]


def path(user_id):
    return f"/users/{user_id}/notification-settings"


def test_defaults_are_every_kind_by_email_at_once_and_a_daily_digest_for_coordinators(world):
    officer = world.officer.get(path(me(world.officer)))
    assert officer.status_code == 200, officer.get_json()
    assert officer.get_json() == {
        "user_id": me(world.officer),
        "email": True,
        "mode": "immediate",
        "kinds": KINDS,
        "available_kinds": KINDS,
    }
    coordinator = world.police_coordinator.get(path(me(world.police_coordinator))).get_json()
    assert (coordinator["mode"], coordinator["email"]) == ("digest", True)


def test_a_user_changes_what_they_hear_and_it_is_audited(world):
    user_id = me(world.officer)
    answer = world.officer.put(
        path(user_id),
        json={"mode": "digest", "kinds": ["certification.expiring", "award.issued"]},
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["kinds"] == ["award.issued", "certification.expiring"]
    assert answer.get_json()["mode"] == "digest"
    off = world.officer.put(path(user_id), json={"email": False}).get_json()
    assert (off["email"], off["mode"], off["kinds"]) == (
        False,
        "digest",
        ["award.issued", "certification.expiring"],
    )
    entries = list(
        AuditEntry.select()
        .where(AuditEntry.entity == "notification_settings", AuditEntry.entity_id == str(user_id))
        .order_by(AuditEntry.id)
    )
    assert [(e.action, e.user_email) for e in entries] == [
        ("update", "sean@rpd.test"),
        ("update", "sean@rpd.test"),
    ]
    assert entries[1].before["email"] is True and entries[1].after["email"] is False


def test_a_coordinator_sets_its_own_agency_users_and_no_one_else_s(world):
    officer_id = me(world.officer)
    answer = world.police_coordinator.put(path(officer_id), json={"mode": "digest"})
    assert answer.status_code == 200, answer.get_json()
    assert_error(world.fire_coordinator.get(path(officer_id)), 404)
    assert_error(world.fire_coordinator.put(path(officer_id), json={"email": False}), 404)
    assert_error(world.instructor.get(path(officer_id)), 403)
    assert_error(world.anonymous.get(path(officer_id)), 401)


def test_bad_settings_are_refused_naming_the_field(world):
    user_id = me(world.officer)
    bad_kind = assert_error(world.officer.put(path(user_id), json={"kinds": ["award.won"]}), 422)
    assert "kinds" in bad_kind["errors"]["json"]
    bad_mode = assert_error(world.officer.put(path(user_id), json={"mode": "weekly"}), 422)
    assert "mode" in bad_mode["errors"]["json"]
    unknown = assert_error(world.officer.put(path(user_id), json={"sms": True}), 422)
    assert "sms" in unknown["errors"]["json"]


def test_an_agency_sets_its_expiry_alert_days(world):
    url = f"/agencies/{world.police['id']}/notification-settings"
    assert world.officer.get(url).get_json() == {
        "agency_id": world.police["id"],
        "expiry_offsets": [90, 30, 7, 0],
    }
    assert_error(world.fire_coordinator.put(url, json={"expiry_offsets": [10]}), 403)
    bad = assert_error(world.police_coordinator.put(url, json={"expiry_offsets": [-1]}), 422)
    assert "expiry_offsets" in bad["errors"]["json"]
    assert_error(world.police_coordinator.put(url, json={"expiry_offsets": []}), 422)
    answer = world.police_coordinator.put(url, json={"expiry_offsets": [60, 0, 60]})
    assert answer.get_json()["expiry_offsets"] == [60, 0]
    reset = world.police_coordinator.put(url, json={"expiry_offsets": None})
    assert reset.get_json()["expiry_offsets"] == [90, 30, 7, 0]
    assert_error(world.police_coordinator.get("/agencies/99999/notification-settings"), 404)
