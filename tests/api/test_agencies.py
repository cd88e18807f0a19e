"""Agencies: kept by admins, adjusted by their coordinators; walk-in agencies verified or merged."""

import datetime

from models import Award, Completion
from tests.helpers import (
    created,
)


def hazmat_offering(world):
    course = created(
        world.fire_coordinator.post(
            "/courses",
            json={
                "code": "HZ",
                "title": "Hazmat Awareness",
                "host_agency_id": world.fire["id"],
                "hours": "4",
            },
        )
    )
    return created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": course["id"],
                "instructor_ids": [world.instructor_person["id"]],
                "sessions": [
                    {
                        "starts_at": "2026-04-11T08:00:00-05:00",
                        "ends_at": "2026-04-11T12:00:00-05:00",
                    }
                ],
            },
        )
    )


def walk_in_from_unknown_agency(world, offering, first, last):
    response = world.instructor.post(
        f"/offerings/{offering['id']}/roster",
        json={
            "person": {
                "first_name": first,
                "last_name": last,
                "employee_id": "H-1",
                "agency": {"name": "Mercy General Hospital", "kind": "hospital", "state": "IL"},
            }
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_only_admins_create_agencies_and_codes_are_unique(world):
    body = {
        "name": "Lakeside 911",
        "code": "L911",
        "kind": "dispatch",
        "state": "IL",
        "timezone": "America/Chicago",
    }
    assert world.fire_coordinator.post("/agencies", json=body).status_code == 403
    assert world.admin.post("/agencies", json=body).status_code == 201
    response = world.admin.post("/agencies", json=dict(body, name="Other"))
    assert response.status_code == 409
    assert response.get_json()["code"] == 409


def test_bad_agency_input_names_the_field(world):
    response = world.admin.post(
        "/agencies", json={"name": "X", "code": "X", "kind": "navy", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]["json"]) == {"kind", "timezone"}
    response = world.admin.post(
        "/agencies", json={"name": "X", "code": "X", "kind": "law", "colour": "blue"}
    )
    assert response.get_json()["errors"]["json"] == {"colour": ["Unknown field."]}


def test_a_coordinator_adjusts_its_own_agency_but_not_its_code_or_others(world):
    fire = world.fire_coordinator
    response = fire.patch(f"/agencies/{world.fire['id']}", json={"timezone": "America/Denver"})
    assert response.status_code == 200
    assert response.get_json()["timezone"] == "America/Denver"
    assert fire.patch(f"/agencies/{world.fire['id']}", json={"code": "NEW"}).status_code == 403
    assert fire.patch(f"/agencies/{world.police['id']}", json={"state": "WI"}).status_code == 403
    trail = world.admin.get(f"/audit?entity=agency&entity_id={world.fire['id']}").get_json()
    assert [
        (e["action"], e["user_email"], e["before"]["timezone"], e["after"]["timezone"])
        for e in trail
        if e["action"] == "update"
    ] == [("update", "fc@rfd.test", "America/Chicago", "America/Denver")]


def test_a_walk_ins_new_agency_is_unverified_until_an_admin_verifies_it(world):
    offering = hazmat_offering(world)
    walk_in = walk_in_from_unknown_agency(world, offering, "Priya", "Raman")
    assert walk_in["created_agency"] is True
    agency = world.admin.get(f"/agencies/{walk_in['agency_id']}").get_json()
    assert (agency["name"], agency["kind"], agency["verified"]) == (
        "Mercy General Hospital",
        "hospital",
        False,
    )
    unverified = world.admin.get("/agencies?verified=false").get_json()
    assert [a["id"] for a in unverified] == [agency["id"]]
    assert world.fire_coordinator.post(f"/agencies/{agency['id']}/verify").status_code == 403
    response = world.admin.post(f"/agencies/{agency['id']}/verify")
    assert response.get_json()["verified"] is True


def test_an_admin_merges_a_door_agency_into_the_real_one_with_its_people(world):
    offering = hazmat_offering(world)
    real = created(
        world.admin.post(
            "/agencies",
            json={
                "name": "Mercy General",
                "code": "MGH",
                "kind": "hospital",
                "state": "IL",
                "timezone": "America/Chicago",
            },
        )
    )
    walk_in = walk_in_from_unknown_agency(world, offering, "Priya", "Raman")
    door = walk_in["agency_id"]
    assert (
        world.admin.post(f"/agencies/{door}/merge", json={"into_id": real["id"]}).status_code == 422
    )
    response = world.admin.post(
        f"/agencies/{door}/merge", json={"into_id": real["id"], "reason": "Same hospital"}
    )
    assert response.status_code == 200, response.get_json()
    person = world.admin.get(f"/people/{walk_in['person_id']}").get_json()
    assert person["agency_id"] == real["id"]
    tombstone = world.admin.get(f"/agencies/{door}").get_json()
    assert (tombstone["merged_into_id"], tombstone["verified"]) == (real["id"], False)
    assert (
        world.admin.post(
            f"/agencies/{door}/merge", json={"into_id": real["id"], "reason": "again"}
        ).status_code
        == 409
    )


def test_merging_agencies_whose_people_share_an_employee_id_is_refused(world):
    offering = hazmat_offering(world)
    real = created(
        world.admin.post(
            "/agencies",
            json={"name": "Mercy General", "code": "MGH", "kind": "hospital", "state": "IL"},
        )
    )
    world.person(real, "Priya", "Raman", "H-1")
    walk_in = walk_in_from_unknown_agency(world, offering, "P.", "Raman")
    response = world.admin.post(
        f"/agencies/{walk_in['agency_id']}/merge",
        json={"into_id": real["id"], "reason": "Same hospital"},
    )
    assert response.status_code == 409
    assert "H-1" in response.get_json()["message"]
    person = world.admin.get(f"/people/{walk_in['person_id']}").get_json()
    assert person["agency_id"] == walk_in["agency_id"]


def test_records_moved_by_an_agency_merge_show_in_the_next_changed_since_pull(hazmat, world):
    door = world.instructor.post(
        f"{hazmat.path}/roster",
        json={
            "person": {
                "first_name": "Ivo",
                "last_name": "Petrov",
                "employee_id": "T-4",
                "agency": {"name": "Tri County Ambulance", "kind": "ems", "state": "IL"},
            }
        },
    ).get_json()
    hazmat.attend({door["person_id"]: [480, 480]}, {door["person_id"]: True})
    hazmat.close()
    # the records were issued long before the admin noticed the door agency
    Completion.update(updated_at=datetime.datetime(2026, 4, 13)).execute()
    Award.update(updated_at=datetime.datetime(2026, 4, 13)).execute()
    since = "2026-06-01T00:00:00+00:00"
    pull = world.ems_coordinator.get("/completions", query_string={"changed_since": since})
    assert pull.get_json() == []
    assert (
        world.admin.post(
            f"/agencies/{door['agency_id']}/merge",
            json={"into_id": world.ems["id"], "reason": "Tri County is part of County EMS"},
        ).status_code
        == 200
    )
    pull = world.ems_coordinator.get("/completions", query_string={"changed_since": since})
    assert [c["person_id"] for c in pull.get_json()] == [door["person_id"]]
    awards = world.ems_coordinator.get("/awards", query_string={"changed_since": since})
    assert [a["person_id"] for a in awards.get_json()] == [door["person_id"]]
