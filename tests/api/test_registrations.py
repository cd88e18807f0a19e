"""Registration for open classes by the home agency: reserved and general seats, approval,
the waitlist in order, cancellation promoting the first in line, the roster, and races for
the last seats through a real multi-worker server."""

import collections
import datetime

import pytest

from models import AuditEntry, Event, Registration, RosterEntry
from notifications.worker import run_once
from tests.helpers import OpenClass, Server, assert_error, trail, walk_in

# Ended a few days before the tests' today (2026-11-24): attendance may be recorded.
ENDED_DAY = ({"starts_at": "2026-11-02T08:00:00-06:00", "ends_at": "2026-11-02T16:00:00-06:00"},)


@pytest.fixture
def hazmat(world):
    return OpenClass(world)


def body(response, code=201):
    assert response.status_code == code, response.get_json()
    return response.get_json()


def fill_police(world, hazmat, count):
    officers = hazmat.people(world.police, count, "PO")
    return [body(hazmat.register(world.police_coordinator, p)) for p in officers]


def roster(world, hazmat):
    entries = world.instructor.get(f"{hazmat.path}/roster?page_size=100").get_json()
    return {e["person_id"]: e["status"] for e in entries}


def test_the_police_coordinator_registers_six_officers_five_reserved_one_general(world, hazmat):
    registrations = fill_police(world, hazmat, 6)
    assert [(r["status"], r["seat"]) for r in registrations] == [("confirmed", "reserved")] * 5 + [
        ("confirmed", "general")
    ]
    assert {r["agency_id"] for r in registrations} == {world.police["id"]}
    assert roster(world, hazmat) == {r["person_id"]: "enrolled" for r in registrations}
    (entry,) = [e for e in trail(world, "registration", registrations[0]["id"])]
    assert (entry["action"], entry["user_email"], entry["after"]["status"]) == (
        "create",
        "pc@rpd.test",
        "confirmed",
    )


def test_a_medic_self_registers_and_his_coordinator_approves(world, hazmat):
    pending = body(hazmat.register(hazmat.medic_user, hazmat.medic))
    assert (pending["status"], pending["seat"], pending["waitlist_position"]) == (
        "pending",
        None,
        None,
    )
    assert hazmat.medic["id"] not in roster(world, hazmat)
    # the host may not approve for the home agency; nobody else sees it at all
    assert_error(world.fire_coordinator.post(f"/registrations/{pending['id']}/approve"), 403)
    assert_error(world.police_coordinator.post(f"/registrations/{pending['id']}/approve"), 404)
    approved = body(
        world.ems_coordinator.post(
            f"/registrations/{pending['id']}/approve", json={"comment": "Go ahead."}
        ),
        200,
    )
    assert (approved["status"], approved["seat"], approved["comment"]) == (
        "confirmed",
        "general",
        "Go ahead.",
    )
    assert roster(world, hazmat)[hazmat.medic["id"]] == "enrolled"
    actions = [(e["action"], e["user_email"]) for e in trail(world, "registration", pending["id"])]
    assert actions == [("create", "zoe@cems.test"), ("approve", "ec@cems.test")]
    assert_error(world.ems_coordinator.post(f"/registrations/{pending['id']}/approve"), 409)


def test_a_coordinator_declines_with_a_comment(world, hazmat):
    pending = body(hazmat.register(hazmat.medic_user, hazmat.medic))
    path = f"/registrations/{pending['id']}/decline"
    missing = assert_error(world.ems_coordinator.post(path, json={}), 422)
    assert "comment" in missing["errors"]["json"]
    declined = body(world.ems_coordinator.post(path, json={"comment": "On shift."}), 200)
    assert (declined["status"], declined["comment"]) == ("declined", "On shift.")
    again = body(hazmat.register(hazmat.medic_user, hazmat.medic))  # may ask again
    assert again["status"] == "pending"


def test_a_dispatch_agency_that_is_no_partner_cannot_register(world, hazmat):
    (caller,) = hazmat.people(hazmat.dispatch, 1, "D")
    assert_error(hazmat.register(hazmat.dispatch_coordinator, caller), 404)
    assert_error(hazmat.dispatch_coordinator.get(f"{hazmat.path}/registrations"), 404)


def test_the_class_fills_then_waitlists_and_a_cancellation_promotes_the_first_in_line(
    world, hazmat
):
    police = fill_police(world, hazmat, 6)
    medics = hazmat.people(world.ems, 16, "E")
    seated = [body(hazmat.register(world.ems_coordinator, m)) for m in medics[:14]]
    assert {r["status"] for r in seated} == {"confirmed"}
    first, second = (body(hazmat.register(world.ems_coordinator, m)) for m in medics[14:])
    assert [(r["status"], r["waitlist_position"]) for r in (first, second)] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert first["person_id"] not in roster(world, hazmat)
    late_officer = fill_police(world, hazmat, 1)[0]  # the police seats are all taken too
    assert (late_officer["status"], late_officer["waitlist_position"]) == ("waitlisted", 3)
    catalog = world.police_coordinator.get("/catalog").get_json()
    assert catalog[0]["seats_left"] == 0

    leaving = seated[0]
    cancelled = body(
        world.ems_coordinator.post(
            f"/registrations/{leaving['id']}/cancel", json={"reason": "Called to a fire."}
        ),
        200,
    )
    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "Called to a fire.")
    promoted = world.ems_coordinator.get(f"/registrations/{first['id']}").get_json()
    assert (promoted["status"], promoted["seat"], promoted["waitlist_position"]) == (
        "confirmed",
        "general",
        None,
    )
    assert (
        world.ems_coordinator.get(f"/registrations/{second['id']}").get_json()["waitlist_position"]
        == 1
    )
    on_roster = roster(world, hazmat)
    assert (on_roster[leaving["person_id"]], on_roster[first["person_id"]]) == (
        "withdrawn",
        "enrolled",
    )
    promotion = trail(world, "registration", first["id"])[-1]
    assert (promotion["action"], promotion["user_email"]) == ("promote", "ec@cems.test")
    assert len(police) == 6


def test_a_reserved_seat_freed_waits_for_its_own_agency(world, hazmat):
    police = fill_police(world, hazmat, 5)
    medics = hazmat.people(world.ems, 16, "E")
    for medic in medics[:15]:
        assert body(hazmat.register(world.ems_coordinator, medic))["status"] == "confirmed"
    medic_waiting = body(hazmat.register(world.ems_coordinator, medics[15]))
    officer_waiting = fill_police(world, hazmat, 1)[0]
    assert [medic_waiting["waitlist_position"], officer_waiting["waitlist_position"]] == [1, 2]
    body(
        world.police_coordinator.post(
            f"/registrations/{police[0]['id']}/cancel", json={"reason": "Court date."}
        ),
        200,
    )
    # the freed seat is the police's own: the officer behind the medic takes it
    again = world.ems_coordinator.get(f"/registrations/{medic_waiting['id']}").get_json()
    assert (again["status"], again["waitlist_position"]) == ("waitlisted", 1)
    officer = world.police_coordinator.get(f"/registrations/{officer_waiting['id']}").get_json()
    assert (officer["status"], officer["seat"]) == ("confirmed", "reserved")


def test_released_reservations_go_to_the_waitlist_on_the_next_change(world, hazmat):
    fill_police(world, hazmat, 2)
    medics = hazmat.people(world.ems, 16, "E")
    results = [body(hazmat.register(world.ems_coordinator, m))["status"] for m in medics]
    assert collections.Counter(results) == {"confirmed": 15, "waitlisted": 1}
    response = world.fire_coordinator.patch(
        hazmat.path, json={"reservations_release_at": "2026-01-01T00:00:00Z"}
    )
    assert response.status_code == 200, response.get_json()
    statuses = collections.Counter(
        r["status"]
        for r in world.ems_coordinator.get(f"{hazmat.path}/registrations?page_size=100").get_json()
    )
    assert statuses == {"confirmed": 16}


def test_released_reservations_go_to_the_waitlist_when_the_worker_scans(
    app, world, hazmat, calendar, tmp_path
):
    app.config["MAIL_OUTBOX"] = str(tmp_path / "outbox")
    response = world.fire_coordinator.patch(
        hazmat.path, json={"reservations_release_at": "2027-03-01T00:00:00Z"}
    )
    assert response.status_code == 200, response.get_json()
    fill_police(world, hazmat, 2)
    medics = hazmat.people(world.ems, 17, "E")
    waiting = [body(hazmat.register(world.ems_coordinator, m)) for m in medics][15:]
    assert [(r["status"], r["waitlist_position"]) for r in waiting] == [
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]

    def scan():
        with app.app_context():
            return run_once()["released"]

    calendar(datetime.date(2027, 2, 28))  # the police's three seats still held
    assert scan() == 0
    calendar(datetime.date(2027, 3, 1))
    assert scan() == 2
    assert scan() == 0  # once
    for waited in waiting:
        again = registration(world.ems_coordinator, waited["id"])
        assert (again["status"], again["seat"]) == ("confirmed", "general")
        entry = trail(world, "registration", waited["id"])[-1]
        assert (entry["action"], entry["user_email"], entry["reason"]) == (
            "promote",
            None,
            "Reserved seats released: first in line on the waitlist.",
        )
    promoted = Event.select().where(Event.kind == "registration.promoted")
    assert sorted(e.payload["registration_id"] for e in promoted) == [r["id"] for r in waiting]
    assert roster(world, hazmat)[waiting[1]["person_id"]] == "enrolled"


@pytest.mark.parametrize(
    ("who", "code"),
    [("police_coordinator", 422), ("officer", 422), ("instructor", 422)],
)
def test_nobody_registers_people_they_do_not_manage(world, hazmat, who, code):
    body_ = assert_error(hazmat.register(getattr(world, who), hazmat.medic), code)
    assert body_["errors"]["json"]["person_id"] == ["Unknown person."]


def test_refusals_are_clear(world, hazmat):
    (officer,) = hazmat.people(world.police, 1, "P")
    body(hazmat.register(world.police_coordinator, officer))
    twice = assert_error(hazmat.register(world.police_coordinator, officer), 409)
    assert twice["message"] == "This person is already registered for this offering."
    missing = assert_error(world.police_coordinator.post(f"{hazmat.path}/registrations"), 422)
    assert "person_id" in missing["errors"]["json"]
    response = world.fire_coordinator.patch(
        hazmat.path, json={"registration_closes_at": "2026-01-01T00:00:00Z"}
    )
    assert response.status_code == 200, response.get_json()
    (late,) = hazmat.people(world.police, 1, "Q")
    closed = assert_error(hazmat.register(world.police_coordinator, late), 409)
    assert closed["message"] == "Registration for this offering has closed."


def test_a_full_class_without_a_waitlist_refuses(world):
    hazmat = OpenClass(world, capacity=2, reserved=0, waitlist=False)
    medics = hazmat.people(world.ems, 3, "E")
    for medic in medics[:2]:
        body(hazmat.register(world.ems_coordinator, medic))
    full = assert_error(hazmat.register(world.ems_coordinator, medics[2]), 409)
    assert full["message"] == "The offering is full and keeps no waitlist."
    assert Registration.select().where(Registration.person == medics[2]["id"]).count() == 0


def test_registered_people_are_on_the_roster_and_the_instructor_records_attendance_by_id(world):
    hazmat = OpenClass(world, sessions=ENDED_DAY)
    officers = [r["person_id"] for r in fill_police(world, hazmat, 2)]
    medic = body(hazmat.register(world.ems_coordinator, hazmat.medic))["person_id"]
    entries = world.instructor.get(f"{hazmat.path}/roster").get_json()
    assert sorted(e["person_id"] for e in entries) == sorted([*officers, medic])
    session_id = hazmat.offering["sessions"][0]["id"]
    rows = [
        {"person_id": pid, "session_id": session_id, "minutes": 480} for pid in [*officers, medic]
    ]
    response = world.instructor.put(f"{hazmat.path}/attendance", json=rows)
    assert response.status_code == 200, response.get_json()
    totals = world.instructor.get(f"{hazmat.path}/attendance").get_json()
    assert totals  # recorded for the registered people, by their ids
    closed = world.instructor.post(f"{hazmat.path}/close")
    assert closed.status_code == 200, closed.get_json()
    assert {o["person_id"] for o in closed.get_json()["outcomes"]} == {*officers, medic}
    (late,) = hazmat.people(world.police, 1, "L")
    refused = assert_error(hazmat.register(world.police_coordinator, late), 409)
    assert "closed" in refused["message"]


def registration(caller, registration_id):
    return body(caller.get(f"/registrations/{registration_id}"), 200)


def test_a_waitlisted_walk_in_is_matched_to_the_registration_and_counted_beyond_the_seats(
    world,
):
    small = OpenClass(world, capacity=2, reserved=0)
    seated = [
        body(small.register(world.ems_coordinator, p)) for p in small.people(world.ems, 2, "E")
    ]
    waiting = body(small.register(world.ems_coordinator, small.medic))
    (behind,) = [
        body(small.register(world.police_coordinator, p))
        for p in small.people(world.police, 1, "P")
    ]
    assert [waiting["waitlist_position"], behind["waitlist_position"]] == [1, 2]

    at_door = walk_in("Zoe", "Nakamura Jones", {"agency_id": world.ems["id"]}, employee_id="E-31")
    added = body(world.instructor.post(f"{small.path}/roster", json=at_door))
    assert (added["person_id"], added["matched_by"]) == (small.medic["id"], "employee_id")

    settled = registration(world.ems_coordinator, waiting["id"])
    assert (settled["status"], settled["seat"], settled["waitlist_position"]) == (
        "confirmed",
        "door",
        None,
    )
    assert registration(world.police_coordinator, behind["id"])["waitlist_position"] == 1
    assert roster(world, small)[small.medic["id"]] == "enrolled"
    entry = trail(world, "registration", waiting["id"])[-1]
    assert (entry["action"], entry["user_email"], entry["reason"]) == (
        "admit",
        "ana@rfd.test",
        "Put on the roster at the door.",
    )
    assert (entry["before"]["status"], entry["after"]["status"]) == ("waitlisted", "confirmed")

    # three in two seats: the first cancellation frees no seat, the second does
    cancel = {"reason": "Called to a fire."}
    path = "/registrations/{}/cancel"
    body(world.ems_coordinator.post(path.format(seated[0]["id"]), json=cancel), 200)
    assert registration(world.police_coordinator, behind["id"])["status"] == "waitlisted"
    body(world.ems_coordinator.post(path.format(seated[1]["id"]), json=cancel), 200)
    assert registration(world.police_coordinator, behind["id"])["status"] == "confirmed"


def test_a_pending_registration_is_confirmed_when_its_person_walks_in_and_is_known_by_name(
    world, hazmat
):
    pending = body(hazmat.register(hazmat.medic_user, hazmat.medic))
    assert pending["status"] == "pending"
    at_door = walk_in("Zoë", "Nakamura-Jones", {"agency_id": world.ems["id"]})
    added = body(world.instructor.post(f"{hazmat.path}/roster", json=at_door))
    assert (added["person_id"], added["matched_by"]) == (hazmat.medic["id"], "name")
    settled = registration(world.ems_coordinator, pending["id"])
    assert (settled["status"], settled["seat"]) == ("confirmed", "general")
    assert settled["decided_by_id"] == me(world.instructor)
    (admitted,) = [e for e in trail(world, "registration", pending["id"]) if e["action"] == "admit"]
    assert (admitted["before"]["status"], admitted["after"]["status"]) == ("pending", "confirmed")
    assert Registration.select().where(Registration.person == hazmat.medic["id"]).count() == 1
    # the seat it took is counted: 20 seats, 5 held for the police, 1 taken
    (listed,) = [
        o
        for o in world.ems_coordinator.get("/catalog").get_json()
        if o["id"] == hazmat.offering["id"]
    ]
    assert listed["seats_left"] == 14


def me(caller):
    return caller.get("/users/me").get_json()["id"]


def test_each_sees_the_registrations_of_its_scope(world, hazmat):
    police = fill_police(world, hazmat, 2)
    world_officer = body(hazmat.register(world.officer, world.officer_person))
    medic = body(hazmat.register(hazmat.medic_user, hazmat.medic))

    def ids(caller, path=f"{hazmat.path}/registrations"):
        return sorted(r["id"] for r in caller.get(path).get_json())

    everyone = sorted(r["id"] for r in [*police, world_officer, medic])
    assert ids(world.fire_coordinator) == everyone
    assert ids(world.police_coordinator) == sorted(r["id"] for r in [*police, world_officer])
    assert ids(world.ems_coordinator) == [medic["id"]]
    assert ids(world.officer) == [world_officer["id"]]
    assert ids(world.officer, "/registrations?mine=true") == [world_officer["id"]]
    assert ids(world.instructor) == everyone
    assert_error(world.officer.get(f"/registrations/{medic['id']}"), 404)


def test_who_may_cancel(world, hazmat):
    mine = body(hazmat.register(world.officer, world.officer_person))
    path = f"/registrations/{mine['id']}/cancel"
    assert_error(world.ems_coordinator.post(path, json={"reason": "x"}), 404)
    assert_error(world.instructor.post(path, json={"reason": "x"}), 403)
    assert_error(world.officer.post(path, json={}), 422)
    cancelled = body(world.officer.post(path, json={"reason": "Sick."}), 200)
    assert cancelled["status"] == "cancelled"
    assert_error(world.fire_coordinator.post(path, json={"reason": "again"}), 409)
    (entry,) = trail(world, "registration", mine["id"])[-1:]
    assert (entry["action"], entry["user_email"], entry["reason"]) == (
        "cancel",
        "sean@rpd.test",
        "Sick.",
    )


# --- the last seats raced for through a real server ------------------------------------


@pytest.fixture
def server(app, world, tmp_path):
    running = Server(app.config["DATABASE_URL"], tmp_path / "gunicorn.log")
    yield running
    running.stop()


def test_thirty_concurrent_registrations_for_the_last_three_seats(world, hazmat, server, app):
    fill_police(world, hazmat, 5)
    medics = hazmat.people(world.ems, 12, "E")
    for medic in medics:
        assert body(hazmat.register(world.ems_coordinator, medic))["status"] == "confirmed"
    racers = hazmat.people(world.ems, 30, "R")
    path = f"{hazmat.path}/registrations"
    token = world.ems_coordinator.token
    answers = server.at_once([("POST", path, token, {"person_id": p["id"]}, None) for p in racers])
    failed = [(s, b) for s, b in answers if s != 201]
    assert failed == [], f"{failed[:3]}\n{server.log()}"
    outcome = collections.Counter(b["status"] for _, b in answers)
    assert outcome == {"confirmed": 3, "waitlisted": 27}
    positions = sorted(b["waitlist_position"] for _, b in answers if b["status"] == "waitlisted")
    assert positions[0] == 1 and len(set(positions)) == 27
    with app.app_context():
        confirmed = Registration.select().where(
            Registration.offering == hazmat.offering["id"], Registration.status == "confirmed"
        )
        assert confirmed.count() == 20
        enrolled = RosterEntry.select().where(
            RosterEntry.offering == hazmat.offering["id"], RosterEntry.status == "enrolled"
        )
        assert enrolled.count() == 20
        audited = AuditEntry.select().where(
            AuditEntry.entity == "registration", AuditEntry.action == "create"
        )
        assert audited.count() == 5 + 12 + 30
