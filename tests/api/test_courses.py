"""Courses and the certifications they award: the host agency's side of a joint class."""

from tests.helpers import created, hazmat_course


def test_host_coordinator_creates_a_course_with_credits_and_awards(world):
    cert, response = hazmat_course(world)
    course = created(response)
    assert course["hours"] == "16.00"
    assert course["min_attendance_pct"] == "90.00"
    assert course["credits"] == [
        {"category": "state_post", "hours": "16.00"},
        {"category": "iso_hazmat", "hours": "8.00"},
    ]
    assert course["awards"] == [
        {"certification_id": cert["id"], "min_hours": None, "requires_pass": True}
    ]
    assert world.officer.get(f"/courses/{course['id']}").get_json()["title"] == course["title"]


def test_a_coordinator_cannot_create_courses_for_another_agency(world):
    _, response = hazmat_course(world, host_agency_id=world.police["id"])
    assert response.status_code == 403


def test_course_errors_name_the_field(world):
    _, response = hazmat_course(
        world,
        credits=[{"category": "state_post", "hours": "20"}],
        awards=[{"certification_id": 999}],
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {  # every error at once
        "credits": {"0": {"hours": ["More than the course's hours."]}},
        "awards": {"0": {"certification_id": ["Unknown certification."]}},
    }
    _, response = hazmat_course(world, awards=[{"certification_id": 999}])
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "awards": {"0": {"certification_id": ["Unknown certification."]}}
    }
    assert world.admin.get("/courses").get_json() == []


def test_patching_a_course_changes_only_what_was_sent(world):
    _, response = hazmat_course(world)
    course = created(response)
    path = f"/courses/{course['id']}"
    response = world.fire_coordinator.patch(path, json={"title": "Hazmat Ops (2026)"})
    assert response.status_code == 200
    changed = response.get_json()
    assert changed["title"] == "Hazmat Ops (2026)"
    assert {k: v for k, v in changed.items() if k not in ("title", "updated_at")} == {
        k: v for k, v in course.items() if k not in ("title", "updated_at")
    }
    response = world.fire_coordinator.patch(path, json={"credits": [{"category": "state_post"}]})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "credits": {"0": {"hours": ["Missing data for required field."]}}
    }
    assert world.police_coordinator.patch(path, json={"title": "Mine"}).status_code == 403


def test_two_coordinators_editing_one_course_cannot_overwrite_each_other(world):
    _, response = hazmat_course(world)
    course = created(response)
    path = f"/courses/{course['id']}"
    etag = world.fire_coordinator.get(path).headers["ETag"]
    assert world.fire_coordinator.get(path, headers={"If-None-Match": etag}).status_code == 304
    first = world.fire_coordinator.patch(path, json={"hours": "18"}, headers={"If-Match": etag})
    assert first.status_code == 200
    stale = world.admin.patch(path, json={"hours": "20"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    missing = world.admin._call("PATCH", path, json={"hours": "20"})
    assert missing.status_code == 428
    assert world.admin.get(path).get_json()["hours"] == "18.00"


def test_a_host_cannot_award_or_schedule_what_another_agency_keeps(world):
    police_cert = created(
        world.police_coordinator.post(
            "/certifications",
            json={
                "name": "RPD Firearms Instructor",
                "issuing_body": "Riverton PD",
                "validity_months": 12,
            },
        )
    )
    assert police_cert["agency_id"] == world.police["id"]
    _, response = hazmat_course(world, awards=[{"certification_id": police_cert["id"]}])
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "awards": {
            "0": {
                "certification_id": [
                    "Kept by another agency: a course may award only shared certifications or its "
                    "host's."
                ]
            }
        }
    }
    police_course = created(
        world.police_coordinator.post(
            "/courses",
            json={
                "code": "FI",
                "title": "Firearms",
                "host_agency_id": world.police["id"],
                "hours": "8",
                "awards": [{"certification_id": police_cert["id"]}],
            },
        )
    )
    response = world.fire_coordinator.post(
        "/offerings",
        json={
            "course_id": police_course["id"],
            "host_agency_id": world.fire["id"],
            "sessions": [
                {"starts_at": "2026-04-11T08:00:00-05:00", "ends_at": "2026-04-11T16:00:00-05:00"}
            ],
        },
    )
    assert response.status_code == 403
    assert world.admin.get("/offerings").get_json() == []


def test_a_course_cannot_be_cut_below_its_credited_hours(world):
    _, response = hazmat_course(world)
    path = f"/courses/{created(response)['id']}"
    response = world.fire_coordinator.patch(path, json={"hours": "10"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "hours": ["Less than the 16.00 hours of state_post."]
    }
    response = world.fire_coordinator.patch(
        path, json={"credits": [{"category": "state_post", "hours": "17"}]}
    )
    assert response.get_json()["errors"]["json"] == {
        "credits": {"0": {"hours": ["More than the course's hours."]}}
    }
    assert world.admin.get(path).get_json()["hours"] == "16.00"
