"""Closing an offering: who attended and passed earns the completion and its
certifications; a closed offering is locked; only an admin reopens, and a reclose
issues no duplicates and undoes no revocation."""

from tests.helpers import Hazmat


def test_full_attendance_and_a_pass_earn_the_completion_and_certification(hazmat, world):
    officer, medic = world.officer_person["id"], hazmat.medic["id"]
    hazmat.attend({officer: [480, 480], medic: [480, 0]}, {officer: True, medic: True})
    outcomes = hazmat.close()

    assert outcomes[officer]["outcome"] == "complete"
    assert outcomes[officer]["hours"] == "16.00"
    assert outcomes[medic] == {
        "person_id": medic,
        "outcome": "none",
        "hours": "0.00",
        "reasons": [
            "attended 8.00 of the 14.40 hours required",
            "the course gives no credit for partial attendance",
        ],
        "completion_id": None,
        "award_ids": [],
    }

    completions = world.officer.get("/completions").get_json()
    assert len(completions) == 1
    completion = completions[0]
    assert {
        k: completion[k]
        for k in (
            "person_id",
            "offering_id",
            "course_id",
            "hours",
            "completed_on",
            "credits",
            "status",
            "partial",
        )
    } == {
        "person_id": officer,
        "offering_id": hazmat.offering["id"],
        "course_id": hazmat.course["id"],
        "hours": "16.00",
        "completed_on": "2026-04-12",
        "credits": [
            {"category": "state_post", "hours": "16.00"},
            {"category": "nccp_national", "hours": "8.00"},
        ],
        "status": "valid",
        "partial": False,
    }

    awards = world.officer.get("/awards").get_json()
    assert [
        (a["certification_id"], a["number"], a["issued_on"], a["expires_on"], a["status"])
        for a in awards
    ] == [
        (
            hazmat.cert["id"],
            f"HZOPS-2026-{awards[0]['id']:06d}",
            "2026-04-12",
            "2028-04-30",
            "valid",
        )
    ]
    # the medic's own agency sees that nothing was earned
    assert world.ems_coordinator.get(f"/completions?person_id={medic}").get_json() == []
    assert world.ems_coordinator.get(f"/awards?person_id={medic}").get_json() == []
    # the officer's home agency reads the record earned at another agency's course
    assert [c["id"] for c in world.police_coordinator.get("/completions").get_json()] == [
        completion["id"]
    ]
    assert world.ems_coordinator.get(f"/completions/{completion['id']}").status_code == 404


def test_partial_credit_where_the_course_allows_it(world, calendar):
    course = Hazmat(world, allows_partial=True)
    officer, medic = world.officer_person["id"], course.medic["id"]
    course.attend({officer: [480, 480], medic: [480, 0]}, {officer: True, medic: True})
    outcomes = course.close()
    assert outcomes[medic]["outcome"] == "partial"
    assert outcomes[medic]["award_ids"] == []
    partial = world.ems_coordinator.get(f"/completions?person_id={medic}").get_json()
    assert [(c["hours"], c["partial"], c["credits"]) for c in partial] == [
        (
            "8.00",
            True,
            [
                {"category": "state_post", "hours": "8.00"},
                {"category": "nccp_national", "hours": "4.00"},
            ],
        )
    ]


def test_failing_a_course_that_requires_a_pass_earns_nothing(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: False})
    assert hazmat.close()[officer]["outcome"] == "none"
    assert world.officer.get("/awards").get_json() == []


def test_closed_offering_locks_roster_attendance_and_results(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    instructor, session = world.instructor, hazmat.offering["sessions"][0]["id"]
    assert (
        instructor.post(
            f"{hazmat.path}/roster", json={"person": world.at_door(hazmat.medic)}
        ).status_code
        == 409
    )
    assert (
        instructor.put(
            f"{hazmat.path}/attendance",
            json=[{"person_id": officer, "session_id": session, "minutes": 10}],
        ).status_code
        == 409
    )
    assert (
        instructor.put(
            f"{hazmat.path}/results", json=[{"person_id": officer, "passed": False}]
        ).status_code
        == 409
    )
    assert instructor.post(f"{hazmat.path}/close").status_code == 409
    attendance = instructor.get(f"{hazmat.path}/attendance").get_json()
    assert "480" in str(attendance)


def test_the_host_coordinator_reopens_and_reclosing_issues_no_duplicates(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    first = hazmat.close()[officer]
    for caller in (world.instructor, world.officer, world.police_coordinator):
        assert (
            caller.post(f"{hazmat.path}/reopen", json={"reason": "typo in minutes"}).status_code
            == 403
        )
    assert world.fire_coordinator.post(f"{hazmat.path}/reopen", json={}).status_code == 422
    response = world.fire_coordinator.post(
        f"{hazmat.path}/reopen", json={"reason": "typo in minutes"}
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "scheduled"
    again = hazmat.close()[officer]
    assert (again["completion_id"], again["award_ids"]) == (
        first["completion_id"],
        first["award_ids"],
    )
    assert len(world.admin.get(f"/completions?person_id={officer}").get_json()) == 1
    assert len(world.admin.get(f"/awards?person_id={officer}").get_json()) == 1
    trail = world.admin.get(f"/audit?entity=offering&entity_id={hazmat.offering['id']}")
    assert [(e["action"], e["reason"], e["user_email"]) for e in trail.get_json()] == [
        ("create", None, "fc@rfd.test"),
        ("close", None, "ana@rfd.test"),
        ("reopen", "typo in minutes", "fc@rfd.test"),
        ("close", None, "ana@rfd.test"),
    ]


def test_a_changed_outcome_on_reclose_revokes_the_old_record_with_a_reason(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    first = hazmat.close()[officer]
    world.admin.post(f"{hazmat.path}/reopen", json={"reason": "the exam was failed"})
    assert (
        world.instructor.put(
            f"{hazmat.path}/results", json=[{"person_id": officer, "passed": False}]
        ).status_code
        == 200
    )
    assert hazmat.close()[officer]["outcome"] == "none"
    completion = world.admin.get(f"/completions/{first['completion_id']}").get_json()
    assert completion["status"] == "revoked"
    assert completion["revoked_reason"].startswith("Re-closed: no longer earned (did not pass")
    award = world.admin.get(f"/awards/{first['award_ids'][0]}").get_json()
    assert award["status"] == "revoked"


def test_a_reclose_never_undoes_a_revocation_made_by_hand(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    first = hazmat.close()[officer]
    world.fire_coordinator.post(
        f"/completions/{first['completion_id']}/revoke",
        json={"reason": "Signed in for someone else"},
    )
    world.admin.post(f"{hazmat.path}/reopen", json={"reason": "fix another row"})
    again = hazmat.close()[officer]
    assert (again["outcome"], again["completion_id"], again["award_ids"]) == ("withheld", None, [])
    assert again["reasons"][-1] == (
        "its completion of this offering was revoked by hand; not issued again"
    )
    assert [
        c["status"] for c in world.admin.get(f"/completions?person_id={officer}").get_json()
    ] == ["revoked"]
    assert [a["status"] for a in world.admin.get(f"/awards?person_id={officer}").get_json()] == [
        "revoked"
    ]
