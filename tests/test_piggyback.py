"""A police officer and an EMS medic piggyback on a fire agency's two-day hazmat course."""

import datetime

import pytest
from conftest import created

from models import Award, Completion
from rules import clock

DAY_ONE = {"starts_at": "2026-04-11T08:00:00-05:00", "ends_at": "2026-04-11T16:00:00-05:00"}
DAY_TWO = {"starts_at": "2026-04-12T08:00:00-05:00", "ends_at": "2026-04-12T16:00:00-05:00"}


@pytest.fixture
def calendar(monkeypatch):
    """Set today's date for statuses and reports."""

    def set_today(day):
        monkeypatch.setattr(clock, "today", lambda timezone=None: day)

    set_today(datetime.date(2026, 7, 1))
    return set_today


class Hazmat:
    """The fire agency's hazmat course, one offering, and who attended."""

    def __init__(self, world, allows_partial=False, sessions=(DAY_ONE, DAY_TWO)):
        self.world = world
        fire = world.fire_coordinator
        self.cert = created(
            fire.post(
                "/certifications",
                json={
                    "name": "Hazmat Operations",
                    "code": "HZOPS",
                    "issuing_body": "State Fire Marshal",
                    "validity_months": 24,
                },
            )
        )
        self.course = created(
            fire.post(
                "/courses",
                json={
                    "code": "HZ-OPS",
                    "title": "Hazardous Materials Operations",
                    "host_agency_id": world.fire["id"],
                    "hours": "16",
                    "min_attendance_pct": "90",
                    "requires_pass": True,
                    "allows_partial": allows_partial,
                    "credits": [
                        {"category": "state_post", "hours": "16"},
                        {"category": "nccp_national", "hours": "8"},
                    ],
                    "awards": [{"certification_id": self.cert["id"], "requires_pass": True}],
                },
            )
        )
        self.offering = self.schedule(sessions)
        self.medic = created(
            world.ems_coordinator.post(
                "/people",
                json={
                    "agency_id": world.ems["id"],
                    "first_name": "Zoë",
                    "last_name": "Nakamura-Jones",
                    "employee_id": "E-31",
                    "external_ids": {"nremt": "NR-8812"},
                },
            )
        )

    def schedule(self, sessions):
        offering = created(
            self.world.fire_coordinator.post(
                "/offerings",
                json={
                    "course_id": self.course["id"],
                    "location": "Riverton Training Ground",
                    "instructor_ids": [self.world.instructor_person["id"]],
                    "sessions": list(sessions),
                },
            )
        )
        self.offering = offering
        return offering

    @property
    def path(self):
        return f"/offerings/{self.offering['id']}"

    def attend(self, minutes_by_person, passed_by_person):
        """The instructor rosters each person at the door (by their details, matched to the
        existing record), then records their minutes and results."""
        world, instructor = self.world, self.world.instructor
        sessions = [s["id"] for s in self.offering["sessions"]]
        for person_id in minutes_by_person:
            person = world.admin.get(f"/people/{person_id}").get_json()
            response = instructor.post(
                f"{self.path}/roster", json={"person": world.at_door(person)}
            )
            assert response.status_code in (200, 201), response.get_json()
            assert (response.get_json()["person_id"], response.get_json()["matched_by"]) == (
                person_id,
                "employee_id",
            )
        rows = [
            {"person_id": pid, "session_id": sid, "minutes": m}
            for pid, minutes in minutes_by_person.items()
            for sid, m in zip(sessions, minutes, strict=True)
        ]
        assert instructor.put(f"{self.path}/attendance", json=rows).status_code == 200
        results = [
            {"person_id": pid, "passed": passed, "score": "90"}
            for pid, passed in passed_by_person.items()
        ]
        response = instructor.put(f"{self.path}/results", json=results)
        assert response.status_code == 200, response.get_json()

    def close(self, caller=None):
        response = (caller or self.world.instructor).post(f"{self.path}/close")
        assert response.status_code == 200, response.get_json()
        return {o["person_id"]: o for o in response.get_json()["outcomes"]}


@pytest.fixture
def hazmat(world, calendar):
    return Hazmat(world)


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


def test_only_an_admin_reopens_and_reclosing_issues_no_duplicates(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    first = hazmat.close()[officer]
    for caller in (world.instructor, world.fire_coordinator, world.officer):
        assert (
            caller.post(f"{hazmat.path}/reopen", json={"reason": "typo in minutes"}).status_code
            == 403
        )
    assert world.admin.post(f"{hazmat.path}/reopen", json={}).status_code == 422
    response = world.admin.post(f"{hazmat.path}/reopen", json={"reason": "typo in minutes"})
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
        ("reopen", "typo in minutes", "chief@muster.test"),
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


def test_revoking_an_award_shows_in_the_transcript_and_public_verification(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    award_id = hazmat.close()[officer]["award_ids"][0]
    award = world.officer.get(f"/awards/{award_id}").get_json()
    assert (
        world.police_coordinator.post(
            f"/awards/{award_id}/revoke", json={"reason": "x" * 10}
        ).status_code
        == 403
    )
    response = world.fire_coordinator.post(
        f"/awards/{award_id}/revoke", json={"reason": "Exam answers were shared"}
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "revoked"
    assert (
        world.fire_coordinator.post(
            f"/awards/{award_id}/revoke", json={"reason": "again"}
        ).status_code
        == 409
    )

    transcript = world.officer.get(f"/people/{officer}/transcript").get_json()
    assert [(a["id"], a["status"], a["revoked_reason"]) for a in transcript["awards"]] == [
        (award_id, "revoked", "Exam answers were shared")
    ]
    assert transcript["hours_total"] == "16.00"
    verified = world.anonymous.get(f"/verify/{award['verify_code']}").get_json()
    assert verified == {
        "status": "revoked",
        "kind": "award",
        "person_name": "Sean O'Brien",
        "title": "Hazmat Operations",
        "number": award["number"],
        "issued_on": "2026-04-12",
        "expires_on": "2028-04-30",
        "hours": "16.00",
        "issuer": "Riverton Fire Department",
    }


def test_revoking_a_completion_removes_its_hours_and_its_awards(hazmat, world):
    officer = world.officer_person["id"]
    outcome = None
    hazmat.attend({officer: [480, 480]}, {officer: True})
    outcome = hazmat.close()[officer]
    assert (
        world.officer.post(
            f"/completions/{outcome['completion_id']}/revoke", json={"reason": "not mine"}
        ).status_code
        == 403
    )
    response = world.fire_coordinator.post(
        f"/completions/{outcome['completion_id']}/revoke",
        json={"reason": "Signed in for someone else"},
    )
    assert response.get_json()["status"] == "revoked"
    transcript = world.police_coordinator.get(f"/people/{officer}/transcript").get_json()
    assert transcript["hours_total"] == "0.00"
    assert transcript["hours_by_category"] == {}
    assert [c["status"] for c in transcript["completions"]] == ["revoked"]
    assert [a["status"] for a in transcript["awards"]] == ["revoked"]


def test_transcript_window_and_hours_by_category(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    transcript = world.officer.get(f"/people/{officer}/transcript?from=2026-01-01&to=2026-12-31")
    body = transcript.get_json()
    assert (body["from"], body["to"], body["hours_total"], body["hours_by_category"]) == (
        "2026-01-01",
        "2026-12-31",
        "16.00",
        {"nccp_national": "8.00", "state_post": "16.00"},
    )
    empty = world.officer.get(f"/people/{officer}/transcript?from=2027-01-01").get_json()
    assert (empty["completions"], empty["awards"], empty["hours_total"]) == ([], [], "0.00")
    assert (
        world.officer.get(f"/people/{officer}/transcript?from=2027-01-01&to=2026-01-01").status_code
        == 422
    )
    assert world.ems_coordinator.get(f"/people/{officer}/transcript").status_code == 404
    assert world.instructor.get(f"/people/{officer}/transcript").status_code == 403


def test_renewing_early_extends_from_the_current_expiry_and_keeps_history(hazmat, world, calendar):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    first = hazmat.close()[officer]["award_ids"][0]
    hazmat.schedule(
        [
            {"starts_at": "2027-10-02T08:00:00-05:00", "ends_at": "2027-10-02T16:00:00-05:00"},
            {"starts_at": "2027-10-03T08:00:00-05:00", "ends_at": "2027-10-03T16:00:00-05:00"},
        ]
    )
    hazmat.attend({officer: [480, 480]}, {officer: True})
    assert world.instructor.post(f"{hazmat.path}/close").status_code == 409  # not held yet
    calendar(datetime.date(2027, 10, 4))
    second = hazmat.close()[officer]["award_ids"][0]
    awards = {a["id"]: a for a in world.officer.get("/awards").get_json()}
    assert (awards[first]["expires_on"], awards[first]["status"]) == ("2028-04-30", "valid")
    assert (
        awards[second]["issued_on"],
        awards[second]["expires_on"],
        awards[second]["renews_id"],
    ) == ("2027-10-03", "2030-04-30", first)


def test_compliance_shows_who_is_short_by_how_much_and_by_when(hazmat, world, calendar):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    rookie = world.person(world.police, "Dana", "Ueda", "P-9")
    police = world.police_coordinator
    created(
        police.post(
            "/requirements",
            json={
                "agency_id": world.police["id"],
                "name": "Biennial in-service",
                "kind": "hours",
                "hours": "40",
                "period_months": 24,
                "category_hours": {"nccp_national": "20"},
            },
        )
    )
    created(
        police.post(
            "/requirements",
            json={
                "agency_id": world.police["id"],
                "name": "Hazmat Operations current",
                "kind": "certification",
                "certification_id": hazmat.cert["id"],
            },
        )
    )

    mine = world.officer.get(f"/people/{officer}/compliance").get_json()
    hours, cert = mine["requirements"]
    assert mine["compliant"] is False
    assert (
        hours["required"],
        hours["earned"],
        hours["short_by"],
        hours["due_by"],
        hours["by_category"],
    ) == (
        "40.00",
        "16.00",
        "24.00",
        "2027-12-31",
        [{"category": "nccp_national", "required": "20.00", "earned": "8.00", "short_by": "12.00"}],
    )
    assert (cert["compliant"], cert["status"], cert["due_by"]) == (True, "valid", "2028-04-30")

    report = police.get(f"/agencies/{world.police['id']}/compliance?status=short").get_json()
    assert [(p["person_name"], p["compliant"]) for p in report] == [
        ("Sean O'Brien", False),
        ("Dana Ueda", False),
    ]
    rookie_cert = report[1]["requirements"][1]
    assert (rookie_cert["status"], rookie_cert["due_by"]) == ("missing", "2026-07-01")
    assert report[1]["requirements"][0]["short_by"] == "40.00"
    assert (
        world.fire_coordinator.get(f"/agencies/{world.police['id']}/compliance").status_code == 403
    )
    assert world.officer.get(f"/people/{rookie['id']}/compliance").status_code == 404


def test_expiring_lists_soonest_first_and_drops_renewed_certifications(hazmat, world, calendar):
    officer, medic = world.officer_person["id"], hazmat.medic["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    partner = world.person(world.police, "Kai", "Lindqvist", "P-12")
    hazmat.schedule(
        [
            {"starts_at": "2026-06-06T08:00:00-05:00", "ends_at": "2026-06-06T16:00:00-05:00"},
            {"starts_at": "2026-06-07T08:00:00-05:00", "ends_at": "2026-06-07T16:00:00-05:00"},
        ]
    )
    hazmat.attend(
        {partner["id"]: [480, 480], medic: [480, 480]}, {partner["id"]: True, medic: True}
    )
    hazmat.close()
    police = world.police_coordinator
    calendar(datetime.date(2028, 5, 2))
    rows = police.get(f"/agencies/{world.police['id']}/expiring?within_days=60").get_json()
    assert [(r["person_name"], r["expires_on"], r["days_left"], r["status"]) for r in rows] == [
        ("Sean O'Brien", "2028-04-30", -2, "expired"),
        ("Kai Lindqvist", "2028-06-30", 59, "valid"),
    ]
    rows = police.get(
        f"/agencies/{world.police['id']}/expiring?within_days=30&include_expired=false"
    ).get_json()
    assert rows == []
    assert police.get(f"/agencies/{world.ems['id']}/expiring").status_code == 403


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


def test_a_corrected_score_supersedes_the_completion_but_keeps_the_certificate(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    first = hazmat.close()[officer]
    world.admin.post(f"{hazmat.path}/reopen", json={"reason": "score mistyped"})
    assert (
        world.instructor.put(
            f"{hazmat.path}/results", json=[{"person_id": officer, "passed": True, "score": "97"}]
        ).status_code
        == 200
    )
    again = hazmat.close()[officer]
    assert again["completion_id"] != first["completion_id"]
    assert again["award_ids"] == first["award_ids"]
    old = world.admin.get(f"/completions/{first['completion_id']}").get_json()
    assert (old["status"], old["revoked_reason"]) == (
        "revoked",
        "Re-closed: superseded by a changed outcome.",
    )
    new = world.admin.get(f"/completions/{again['completion_id']}").get_json()
    assert (new["status"], new["score"]) == ("valid", "97.00")
    award = world.admin.get(f"/awards/{first['award_ids'][0]}").get_json()
    assert (award["status"], award["completion_id"]) == ("valid", again["completion_id"])


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
