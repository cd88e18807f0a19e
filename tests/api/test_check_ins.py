"""Self check-in: a person scans the class's code during a session, the instructor confirms
(it becomes attendance, a walk-in joins the roster) or rejects it (it never counts)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from models import AuditEntry, CheckIn, RosterEntry
from tests.helpers import add, created, fire_offering

MINUTE = datetime.timedelta(minutes=1)


def session_around_now(before, after):
    """One session from `before` minutes ago until `after` minutes from now (negative:
    already ended, or not started)."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return [
        {
            "starts_at": (now - before * MINUTE).isoformat(),
            "ends_at": (now + after * MINUTE).isoformat(),
        }
    ]


class Class:
    """A fire offering under way now, the police officer on its roster."""

    def __init__(self, world, sessions=None):
        self.world = world
        self.offering = fire_offering(world, sessions=sessions or session_around_now(60, 180))
        self.path = f"/offerings/{self.offering['id']}"
        self.session = self.offering["sessions"][0]["id"]
        self.officer = world.officer_person["id"]
        assert add(world.admin, self.offering, {"person_id": self.officer}).status_code == 201
        self.code = self.code_shown()["code"]

    def code_shown(self, caller=None):
        response = (caller or self.world.instructor).get(f"{self.path}/check-in-code")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def scan(self, caller=None, code=None):
        caller = caller or self.world.officer
        code = self.code if code is None else code
        return caller.post(f"{self.path}/check-ins", json={"code": code})

    def listed(self, query=""):
        response = self.world.instructor.get(f"{self.path}/check-ins{query}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def decide(self, check_in_id, verb, body=None, caller=None):
        caller = caller or self.world.instructor
        return caller.post(f"{self.path}/check-ins/{check_in_id}/{verb}", json=body)

    def attendance(self, person_id):
        """(total minutes, [(minutes, open)]) of a person, or None when not on the roster."""
        sheet = self.world.admin.get(f"{self.path}/attendance").get_json()
        for person in sheet["people"]:
            if person["person_id"] == person_id:
                rows = [(row["minutes"], row["open"]) for row in person["sessions"]]
                return person["total_minutes"], rows
        return None


def backdate(check_in_id, minutes):
    """As if the scan had happened `minutes` earlier."""
    stored = CheckIn.get_by_id(check_in_id)
    earlier = stored.checked_in_at - minutes * MINUTE
    CheckIn.update(checked_in_at=earlier).where(CheckIn.id == check_in_id).execute()
    return earlier


def medic_user(world):
    person = world.person(world.ems, "Mia", "Chen", "E-40")
    return person, world.user("officer", world.ems, "mia@cems.test", person)


@pytest.fixture
def running(world):
    return Class(world)


def test_a_scan_is_pending_and_counts_once_confirmed_then_a_second_scan_checks_out(world, running):
    response = running.scan()
    assert response.status_code == 201, response.get_json()
    scanned = response.get_json()
    assert {k: scanned[k] for k in ("session_id", "person_id", "status", "outcome")} == {
        "session_id": running.session,
        "person_id": running.officer,
        "status": "pending",
        "outcome": "checked_in",
    }
    assert scanned["on_roster"] is True and scanned["checked_out_at"] is None
    assert running.attendance(running.officer) == (0, [])  # pending: not attendance
    assert [c["id"] for c in running.listed("?status=pending")] == [scanned["id"]]
    assert running.listed("?status=confirmed") == []

    backdate(scanned["id"], 40)
    confirmed = running.decide(scanned["id"], "confirm")
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["status"] == "confirmed"
    assert confirmed.get_json()["decided_at"].endswith("+00:00")
    assert running.attendance(running.officer) == (0, [(0, True)])  # an open stay

    again = running.scan()
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["outcome"] == "checked_out"
    assert running.attendance(running.officer) == (40, [(40, False)])
    assert running.listed("?status=confirmed")[0]["checked_out_at"] is not None

    actions = [
        (entry.action, entry.user_email)
        for entry in AuditEntry.select()
        .where(AuditEntry.entity == "check_in", AuditEntry.entity_id == str(scanned["id"]))
        .order_by(AuditEntry.id)
    ]
    assert actions == [
        ("create", "sean@rpd.test"),
        ("confirm", "ana@rfd.test"),
        ("check_out", "sean@rpd.test"),
    ]


def test_the_same_scan_sent_twice_is_one_check_in(running):
    first = running.scan().get_json()
    second = running.scan()
    assert second.status_code == 200
    assert (second.get_json()["id"], second.get_json()["outcome"]) == (first["id"], "repeat")
    assert second.get_json()["checked_out_at"] is None
    assert CheckIn.select().count() == 1


def test_a_rejected_check_in_never_counts(world, running):
    scanned = running.scan().get_json()
    assert running.decide(scanned["id"], "reject", {}).status_code == 422  # a reason is needed
    rejected = running.decide(scanned["id"], "reject", {"reason": "Was not in the room"})
    assert rejected.status_code == 200, rejected.get_json()
    assert (rejected.get_json()["status"], rejected.get_json()["reason"]) == (
        "rejected",
        "Was not in the room",
    )
    assert running.attendance(running.officer) == (0, [])
    assert running.decide(scanned["id"], "confirm").status_code == 409
    backdate(scanned["id"], 30)
    later = running.scan()
    assert later.status_code == 409
    assert later.get_json()["message"] == (
        "The instructor rejected your check-in to this session; see the instructor."
    )
    assert running.attendance(running.officer) == (0, [])


def test_someone_not_on_the_roster_is_added_as_a_walk_in_when_confirmed(world, running):
    medic, user = medic_user(world)
    scanned = created(running.scan(user))
    assert scanned["on_roster"] is False
    assert running.attendance(medic["id"]) is None  # pending: not on the roster yet
    backdate(scanned["id"], 20)
    assert running.decide(scanned["id"], "confirm").get_json()["on_roster"] is True
    roster = world.instructor.get(f"{running.path}/roster").get_json()
    entry = next(e for e in roster if e["person_id"] == medic["id"])
    assert (entry["walk_in"], entry["status"]) == (True, "enrolled")
    stored = RosterEntry.get(RosterEntry.person == medic["id"])
    assert (stored.matched_by, stored.matched_by_user.email) == ("check_in", "ana@rfd.test")
    assert running.attendance(medic["id"]) == (0, [(0, True)])
    out = running.decide(scanned["id"], "check-out", {})
    assert out.status_code == 200, out.get_json()
    assert running.attendance(medic["id"]) == (20, [(20, False)])


def test_a_rejected_walk_in_is_not_added_to_the_roster(world, running):
    medic, user = medic_user(world)
    scanned = created(running.scan(user))
    assert running.decide(scanned["id"], "reject", {"reason": "Not registered"}).status_code == 200
    roster = world.instructor.get(f"{running.path}/roster").get_json()
    assert medic["id"] not in [e["person_id"] for e in roster]


@pytest.mark.parametrize("typed", ["lower", "grouped", "spaced"])
def test_the_code_is_accepted_however_it_is_typed(running, typed):
    code = running.code
    grouped = f"{code[:4]}-{code[4:]}"
    text = {"lower": code.lower(), "grouped": grouped, "spaced": " ".join(code)}[typed]
    assert running.scan(code=text).status_code == 201


def test_a_wrong_code_is_a_422_naming_the_code_and_records_nothing(running):
    wrong = "ZZZZZZZZ" if running.code != "ZZZZZZZZ" else "YYYYYYYY"
    response = running.scan(code=wrong)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "code": ["Not this class's check-in code; scan the sheet or screen again."]
    }
    assert running.scan(code="").status_code == 422
    assert CheckIn.select().count() == 0


def test_a_code_of_another_class_does_not_check_in_here(world, running):
    other = Class(world)
    response = running.scan(code=other.code)
    assert (response.status_code, CheckIn.select().count()) == (422, 0)


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        (-14, 60, 201),  # starts in 14 minutes: within the grace
        (-20, 60, 409),  # starts in 20 minutes: too early
        (120, -10, 201),  # ended 10 minutes ago: within the grace
        (120, -20, 409),  # ended 20 minutes ago: too late
    ],
)
def test_a_scan_counts_from_15_minutes_before_a_session_to_15_after(world, before, after, status):
    running = Class(world, sessions=session_around_now(before, after))
    response = running.scan()
    assert response.status_code == status, response.get_json()
    if status == 409:
        assert response.get_json()["message"].startswith(
            "No session of this class is under way; check in from 15 minutes before a session "
            "starts until 15 minutes after it ends."
        )
        assert CheckIn.select().count() == 0


def test_a_scan_before_the_day_names_the_next_session_in_local_time(world):
    tomorrow = Class(world, sessions=session_around_now(-24 * 60, 28 * 60))
    response = tomorrow.scan()
    assert response.status_code == 409
    starts = datetime.datetime.fromisoformat(tomorrow.offering["sessions"][0]["starts_at"])
    local = starts.astimezone(ZoneInfo("America/Chicago")).isoformat(timespec="minutes")
    assert response.get_json()["message"].endswith(
        f"The next session starts {local} (America/Chicago)."
    )


def test_a_closed_class_takes_no_check_ins(world):
    ended = Class(world, sessions=session_around_now(120, -5))
    assert world.instructor.post(f"{ended.path}/close").status_code == 200
    response = ended.scan()
    assert response.status_code == 409
    assert response.get_json()["message"].startswith("The offering is closed")
    assert CheckIn.select().count() == 0


def test_a_check_in_cannot_be_decided_once_the_class_is_closed(world):
    ended = Class(world, sessions=session_around_now(120, -5))
    scanned = created(ended.scan())
    assert world.instructor.post(f"{ended.path}/close").status_code == 200
    assert ended.decide(scanned["id"], "confirm").status_code == 409
    assert CheckIn.get_by_id(scanned["id"]).status == "pending"


def test_only_those_who_run_the_class_see_its_code_and_check_ins(world, running):
    for caller in (world.officer, world.police_coordinator):
        assert caller.get(f"{running.path}/check-in-code").status_code == 403
        assert caller.get(f"{running.path}/check-ins").status_code == 403
    assert running.code_shown(world.fire_coordinator)["code"] == running.code
    assert running.code_shown(world.admin)["code"] == running.code
    scanned = running.scan().get_json()
    assert running.decide(scanned["id"], "confirm", caller=world.officer).status_code == 403
    assert running.decide(999999, "confirm").status_code == 404


def test_the_code_is_random_stored_and_shown_grouped_with_the_check_in_url(world, running):
    shown = running.code_shown()
    assert len(shown["code"]) == 8
    assert shown["code_grouped"] == f"{shown['code'][:4]}-{shown['code'][4:]}"
    assert shown["check_in_url"].endswith(
        f"/api/v1/offerings/{running.offering['id']}/check-ins?code={shown['code']}"
    )
    assert running.code_shown() == shown
    assert Class(world).code != running.code
    made = AuditEntry.select().where(AuditEntry.entity == "check_in_code")
    assert [entry.user_email for entry in made] == ["ana@rfd.test", "ana@rfd.test"]
    assert all(running.code not in str(entry.after) for entry in made)


def test_a_user_who_is_not_a_person_cannot_check_in(world, running):
    response = running.scan(world.fire_coordinator)
    assert response.status_code == 403
    assert response.get_json()["message"] == "Only a user who is a person on file can check in."


def test_the_instructor_checks_out_at_a_given_time_after_the_check_in(world, running):
    scanned = running.scan().get_json()
    checked_in = backdate(scanned["id"], 50)
    assert running.decide(scanned["id"], "confirm").status_code == 200
    before = (checked_in - MINUTE).replace(tzinfo=datetime.UTC).isoformat()
    refused = running.decide(scanned["id"], "check-out", {"at": before})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]["json"]) == ["at"]
    at = (checked_in + 30 * MINUTE).replace(tzinfo=datetime.UTC).isoformat()
    response = running.decide(scanned["id"], "check-out", {"at": at})
    assert response.status_code == 200, response.get_json()
    assert running.attendance(running.officer) == (30, [(30, False)])
    assert running.decide(scanned["id"], "check-out", {}).status_code == 409
