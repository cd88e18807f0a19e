"""People: each caller sees only the people in its scope; duplicate records of one
officer are merged without losing anything."""

import io
import json

from models import Person
from models.base import utcnow
from tests.helpers import DAY_ONE, add, assert_error, created, fire_offering


def test_a_coordinator_sees_only_its_agencys_people(world):
    police_person = world.officer_person["id"]
    fire_person = world.instructor_person["id"]
    # 404, not 403: another agency's people are not revealed to exist.
    assert_error(world.fire_coordinator.get(f"/people/{police_person}"), 404)
    assert_error(world.fire_coordinator.get(f"/people/{police_person + 1000}"), 404)
    assert_error(
        world.fire_coordinator.patch(
            f"/people/{police_person}",
            json={"agency_id": world.police["id"], "first_name": "X", "last_name": "Y"},
        ),
        404,
    )
    assert world.fire_coordinator.get(f"/people/{fire_person}").status_code == 200
    listed = world.fire_coordinator.get("/people").get_json()
    assert {p["agency_id"] for p in listed} == {world.fire["id"]}
    filtered = world.fire_coordinator.get(f"/people?agency_id={world.police['id']}")
    assert filtered.get_json() == []


def test_an_officer_sees_only_its_own_person(world):
    own = world.officer_person["id"]
    assert world.officer.get(f"/people/{own}").get_json()["id"] == own
    for other in (world.instructor_person["id"], own + 1000):
        assert_error(world.officer.get(f"/people/{other}"), 404)
    assert [p["id"] for p in world.officer.get("/people").get_json()] == [own]
    assert_error(world.officer.get("/users"), 403)
    assert_error(world.officer.get("/audit"), 403)


def test_merging_two_records_of_one_officer_loses_nothing(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    # at the next class the officer was entered again at the door, with a mistyped id
    hazmat.schedule(
        [
            {"starts_at": "2026-06-06T08:00:00-05:00", "ends_at": "2026-06-06T16:00:00-05:00"},
            {"starts_at": "2026-06-07T08:00:00-05:00", "ends_at": "2026-06-07T16:00:00-05:00"},
        ]
    )
    walk_in = world.instructor.post(
        f"{hazmat.path}/roster",
        json={
            "person": {
                "first_name": "Sean",
                "last_name": "OBrien",
                "employee_id": "P-07",
                "agency_id": world.police["id"],
            }
        },
    ).get_json()
    duplicate = walk_in["person_id"]
    assert duplicate != officer
    hazmat.attend({duplicate: [480, 480]}, {duplicate: True})
    hazmat.close()
    police = world.police_coordinator
    before = {
        (path, pid): len(police.get(f"{path}?person_id={pid}").get_json())
        for path in ("/completions", "/awards")
        for pid in (officer, duplicate)
    }
    assert sum(before.values()) == 4

    assert (
        world.ems_coordinator.post(
            f"/people/{officer}/merge", json={"duplicate_id": duplicate}
        ).status_code
        == 404
    )
    response = police.post(
        f"/people/{officer}/merge", json={"duplicate_id": duplicate, "reason": "Same officer, P-7"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["records"] == {
        "RosterEntry": 2,
        "Attendance": 4,
        "Result": 2,
        "Completion": 2,
        "Award": 2,
        "Submission": 0,
        "User": 1,
        "OfferingInstructor": 0,
    }

    transcript = world.officer.get(f"/people/{officer}/transcript").get_json()
    assert len(transcript["completions"]) == 2 and len(transcript["awards"]) == 2
    assert transcript["hours_total"] == "32.00"
    tombstone = police.get(f"/people/{duplicate}").get_json()
    assert tombstone["merged_into_id"] == officer
    assert [p["id"] for p in police.get("/people").get_json()] == [officer]
    # the mistyped id now finds the survivor at the door
    hazmat.schedule([DAY_ONE])
    again = world.instructor.post(
        f"{hazmat.path}/roster",
        json={
            "person": {
                "first_name": "Sean",
                "last_name": "OBrien",
                "employee_id": "P-07",
                "agency_id": world.police["id"],
            }
        },
    ).get_json()
    assert (again["person_id"], again["matched_by"]) == (officer, "employee_id")
    assert (
        police.post(f"/people/{officer}/merge", json={"duplicate_id": duplicate}).status_code == 409
    )
    trail = world.admin.get(f"/audit?entity=person&entity_id={officer}").get_json()
    assert [(e["action"], e["reason"]) for e in trail][-1] == ("merge", "Same officer, P-7")


def test_two_records_on_one_roster_are_not_merged_blindly(hazmat, world):
    officer = world.officer_person["id"]
    twin = world.person(world.police, "Sean", "O'Brien", "P-77")
    hazmat.attend({officer: [480, 480], twin["id"]: [480, 480]}, {officer: True, twin["id"]: True})
    response = world.police_coordinator.post(
        f"/people/{officer}/merge", json={"duplicate_id": twin["id"]}
    )
    assert response.status_code == 409
    assert "roster" in response.get_json()["message"]
    assert (
        world.police_coordinator.get(f"/people/{twin['id']}").get_json()["merged_into_id"] is None
    )


def test_merging_keeps_the_duplicates_employee_id_when_the_survivor_had_none(world):
    police = world.police_coordinator
    survivor = created(
        police.post(
            "/people",
            json={"agency_id": world.police["id"], "first_name": "Ann", "last_name": "Lee"},
        )
    )
    duplicate = world.person(world.police, "Ann", "Lee", "P-31")
    assert (
        police.post(
            f"/people/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
        ).status_code
        == 200
    )
    assert police.get(f"/people/{survivor['id']}").get_json()["employee_id"] == "P-31"
    assert police.get(f"/people/{duplicate['id']}").get_json()["employee_id"] is None


def test_those_who_see_a_person_in_full_read_whether_they_are_active_and_share_achievements(
    world,
):
    own = world.officer_person["id"]

    def flags(caller):
        person = caller.get(f"/people/{own}").get_json()
        return person["active"], person["share_achievements"]

    assert flags(world.officer) == flags(world.police_coordinator) == (True, True)
    sharing = world.officer.put(f"/people/{own}/sharing", json={"share_achievements": False})
    assert sharing.status_code == 200, sharing.get_json()
    csv = f"employee_id,first_name,last_name,active\n{world.officer_person['employee_id']}"
    csv += f",{world.officer_person['first_name']},{world.officer_person['last_name']},false\n"
    imported = world.police_coordinator.post(
        f"/agencies/{world.police['id']}/people/import",
        data={"file": (io.BytesIO(csv.encode()), "personnel.csv")},
        content_type="multipart/form-data",
    )
    assert imported.get_json()["updated"] == 1, imported.get_json()
    assert flags(world.admin) == flags(world.police_coordinator) == (False, False)
    listed = world.police_coordinator.get(
        f"/people?employee_id={world.officer_person['employee_id']}"
    )
    assert [(p["active"], p["share_achievements"]) for p in listed.get_json()] == [(False, False)]
    # they change through the import and /sharing, never by PATCH
    refused = assert_error(
        world.police_coordinator.patch(f"/people/{own}", json={"active": True}), 422
    )
    assert "active" in refused["errors"]["json"]


# --- instructors see only what the door needs -------------------------------------------


def medic_with_ids(world):
    return world.person(
        world.ems,
        "Mia",
        "Chen",
        "E-42",
        email="mia.chen@cems.test",
        external_ids={"nremt": "NR-9001", "state_ems": "IL-EMT-77"},
    )


def test_an_instructor_reads_another_agencys_person_only_as_the_door_met_them(world):
    medic = medic_with_ids(world)
    offering = fire_offering(world)
    door = {"first_name": "Mia", "last_name": "Chen", "agency_id": world.ems["id"]}
    body = created(
        add(world.instructor, offering, {"person": dict(door, external_ids={"nremt": "NR-9001"})})
    )
    assert body["matched_by"] == "external_ids.nremt"
    seen = world.instructor.get(f"/people/{medic['id']}").get_json()
    assert seen == {  # nor whether they are active or share their achievements
        "id": medic["id"],
        "agency_id": world.ems["id"],
        "first_name": "Mia",
        "last_name": "Chen",
        "merged_into_id": None,
        "voided_at": None,
        "external_ids": {"nremt": "NR-9001"},
    }
    assert [p for p in world.instructor.get("/people").get_json() if p["id"] == medic["id"]] == [
        seen
    ]
    # the roster shows the same: name, agency and the regulator id used at the door
    entry = world.instructor.get(f"/offerings/{offering['id']}/roster").get_json()[0]
    assert entry["person"] == {
        "id": medic["id"],
        "first_name": "Mia",
        "last_name": "Chen",
        "agency_id": world.ems["id"],
        "agency_name": "County EMS",
        "external_ids": {"nremt": "NR-9001"},
    }
    # a filter on a hidden identifier is no probe for it
    for query in ("email=mia.chen@cems.test", "employee_id=E-42"):
        assert world.instructor.get(f"/people?{query}").get_json() == []
    # the home coordinator and an admin see the person in full
    for caller in (world.ems_coordinator, world.admin):
        full = caller.get(f"/people/{medic['id']}").get_json()
        assert (full["email"], full["employee_id"], full["external_ids"]) == (
            "mia.chen@cems.test",
            "E-42",
            {"nremt": "NR-9001", "state_ems": "IL-EMT-77"},
        )


def test_an_instructor_sees_the_employee_id_or_e_mail_the_door_used_and_nothing_else(world):
    medic = medic_with_ids(world)
    offering = fire_offering(world)
    door = {"first_name": "Mia", "last_name": "Chen", "agency_id": world.ems["id"]}
    created(add(world.instructor, offering, {"person": dict(door, employee_id="E-42")}))
    seen = world.instructor.get(f"/people/{medic['id']}").get_json()
    assert (seen.get("employee_id"), "email" in seen, "external_ids" in seen) == (
        "E-42",
        False,
        False,
    )
    # met again at a second door by e-mail: both identifiers used are shown
    created(
        add(
            world.instructor,
            fire_offering(world),
            {"person": dict(door, email="mia.chen@cems.test")},
        )
    )
    seen = world.instructor.get(f"/people/{medic['id']}").get_json()
    assert (seen.get("employee_id"), seen.get("email"), "external_ids" in seen) == (
        "E-42",
        "mia.chen@cems.test",
        False,
    )


def test_a_person_matched_by_name_shows_no_identifier_to_the_instructor(world):
    medic = medic_with_ids(world)
    offering = fire_offering(world)
    door = {"first_name": "Mia", "last_name": "Chen", "agency_id": world.ems["id"]}
    assert created(add(world.instructor, offering, {"person": door}))["matched_by"] == "name"
    seen = world.instructor.get(f"/people/{medic['id']}").get_json()
    assert set(seen) == {
        "id",
        "agency_id",
        "first_name",
        "last_name",
        "merged_into_id",
        "voided_at",
    }
    # the instructor's own agency's people are seen in full
    assert world.instructor.get(f"/people/{world.instructor_person['id']}").get_json()[
        "employee_id"
    ] == ("F-100")


def test_a_list_of_everyone_counts_exactly_the_people_it_lists(world, app):
    """An admin's unfiltered list counts every person less the merged and voided ones (or
    every person with include_merged): X-Pagination's total is what its pages hold."""
    admin, police = world.admin, world.police
    kept = world.person(police, "Kim", "Keep", "P-81")["id"]
    duplicate = world.person(police, "Kim", "Keep", "P-82")["id"]
    merge = {"duplicate_id": duplicate, "reason": "Same officer"}
    assert admin.post(f"/people/{kept}/merge", json=merge).status_code == 200
    voided = world.person(police, "Val", "Void", "P-83")["id"]
    with app.app_context():  # as a door match voids a person created by mistake
        Person.update(voided_at=utcnow()).where(Person.id == voided).execute()
    for shown in ("", "&include_merged=true"):
        listed = [p["id"] for p in admin.get(f"/people?page_size=1000{shown}").get_json()]
        pages = json.loads(admin.get(f"/people?page_size=2{shown}").headers["X-Pagination"])
        assert pages["total"] == len(listed)
        assert pages["last_page"] == (len(listed) + 1) // 2
        assert kept in listed
        assert (duplicate in listed, voided in listed) == (bool(shown), bool(shown))
    agency = f"/people?agency_id={police['id']}"
    listed = admin.get(f"{agency}&page_size=1000").get_json()
    total = json.loads(admin.get(f"{agency}&page_size=2").headers["X-Pagination"])["total"]
    assert total == len(listed)
