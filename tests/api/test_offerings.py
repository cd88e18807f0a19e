"""Offerings and their sessions: stored in UTC, never overlapping, never cut below the
attendance already recorded."""

from tests.helpers import created, fire_offering, hazmat_course, trail


def test_offering_sessions_are_stored_in_utc_and_listed_soonest_first(world):
    _, response = hazmat_course(world)
    course = created(response)
    later = created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": course["id"],
                "location": "Station 3",
                "instructor_ids": [world.instructor_person["id"]],
                "sessions": [
                    {
                        "starts_at": "2026-05-02T08:00:00-05:00",
                        "ends_at": "2026-05-02T16:00:00-05:00",
                    }
                ],
            },
        )
    )
    sooner = created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": course["id"],
                "location": "Training Center",
                "sessions": [
                    {
                        "starts_at": "2026-03-07T08:00:00-06:00",
                        "ends_at": "2026-03-07T16:00:00-06:00",
                    }
                ],
            },
        )
    )
    assert later["host_agency_id"] == world.fire["id"]
    assert later["status"] == "scheduled"
    assert later["sessions"][0]["starts_at"] == "2026-05-02T13:00:00+00:00"
    assert later["sessions"][0]["minutes"] == 480
    listed = world.officer.get("/offerings").get_json()
    assert [o["id"] for o in listed] == [sooner["id"], later["id"]]
    mine = world.instructor.get("/offerings?mine=true").get_json()
    assert [o["id"] for o in mine] == [later["id"]]


def test_overlapping_or_backwards_sessions_are_refused(world):
    _, response = hazmat_course(world)
    course = created(response)
    response = world.fire_coordinator.post(
        "/offerings",
        json={
            "course_id": course["id"],
            "sessions": [
                {"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T12:00:00-06:00"},
                {"starts_at": "2026-03-07T11:00:00-06:00", "ends_at": "2026-03-07T15:00:00-06:00"},
            ],
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "sessions": {"1": {"starts_at": ["Overlaps another session of this offering."]}}
    }
    response = world.fire_coordinator.post(
        "/offerings",
        json={
            "course_id": course["id"],
            "sessions": [
                {"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T07:00:00-06:00"}
            ],
        },
    )
    assert response.get_json()["errors"]["json"] == {
        "sessions": {"0": {"ends_at": ["Must be after starts_at."]}}
    }
    response = world.fire_coordinator.post(
        "/offerings",
        json={
            "course_id": course["id"],
            "sessions": [
                {"starts_at": "2026-03-07T08:00:00", "ends_at": "2026-03-07T09:00:00-06:00"}
            ],
        },
    )
    assert response.status_code == 422
    assert "starts_at" in response.get_json()["errors"]["json"]["sessions"]["0"]
    assert world.admin.get("/offerings").get_json() == []


def test_a_session_with_attendance_is_neither_dropped_nor_shortened(world):
    _, response = hazmat_course(world)
    course = created(response)
    offering = created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": course["id"],
                "instructor_ids": [world.instructor_person["id"]],
                "sessions": [
                    {
                        "starts_at": "2026-04-11T08:00:00-05:00",
                        "ends_at": "2026-04-11T16:00:00-05:00",
                    }
                ],
            },
        )
    )
    path, session = f"/offerings/{offering['id']}", offering["sessions"][0]
    person = world.officer_person["id"]
    created(
        world.instructor.post(
            f"{path}/roster", json={"person": world.at_door(world.officer_person)}
        )
    )
    assert (
        world.instructor.put(
            f"{path}/attendance",
            json=[{"person_id": person, "session_id": session["id"], "minutes": 480}],
        ).status_code
        == 200
    )
    other = {"starts_at": "2026-04-12T08:00:00-05:00", "ends_at": "2026-04-12T16:00:00-05:00"}
    response = world.fire_coordinator.patch(path, json={"sessions": [other]})
    assert response.status_code == 409
    assert response.get_json()["message"] == (
        f"Sessions with attendance cannot be removed: [{session['id']}]."
    )
    shorter = {
        "id": session["id"],
        "starts_at": session["starts_at"],
        "ends_at": "2026-04-11T20:00:00+00:00",
    }
    response = world.fire_coordinator.patch(path, json={"sessions": [shorter]})
    assert response.status_code == 409
    assert world.admin.get(path).get_json()["sessions"] == offering["sessions"]
    kept = {k: session[k] for k in ("id", "starts_at", "ends_at")}
    teacher = world.instructor_person["id"]  # a person the host may name
    response = world.fire_coordinator.patch(
        path, json={"sessions": [kept, other], "instructor_ids": [teacher, teacher]}
    )
    assert response.get_json()["errors"]["json"] == {"instructor_ids": ["Listed twice."]}
    response = world.fire_coordinator.patch(path, json={"sessions": [kept, other]})
    assert response.status_code == 200
    assert [s["minutes"] for s in response.get_json()["sessions"]] == [480, 480]


def test_the_host_cancels_a_class_with_a_reason_and_nothing_more_is_recorded(world):
    offering = fire_offering(world)
    path = f"/offerings/{offering['id']}"
    for caller in (world.instructor, world.officer, world.police_coordinator):
        assert caller.post(f"{path}/cancel", json={"reason": "Storm"}).status_code == 403
    assert world.fire_coordinator.post(f"{path}/cancel", json={}).status_code == 422
    response = world.fire_coordinator.post(f"{path}/cancel", json={"reason": "Storm"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    assert world.fire_coordinator.get(path).get_json()["status"] == "cancelled"
    refused = world.instructor.post(f"{path}/close")
    assert refused.status_code == 409
    assert refused.get_json()["message"] == (
        "The offering was cancelled; nothing more is recorded against it."
    )
    again = world.fire_coordinator.post(f"{path}/cancel", json={"reason": "Storm"})
    assert again.status_code == 409
    assert [(e["action"], e["reason"]) for e in trail(world, "offering", offering["id"])] == [
        ("create", None),
        ("cancel", "Storm"),
    ]
