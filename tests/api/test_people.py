"""People: each caller sees only the people in its scope; duplicate records of one
officer are merged without losing anything."""

from tests.helpers import DAY_ONE, assert_error, created


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
