"""Awards of certifications: revoked with a reason, renewed early from the current expiry."""

import datetime


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
        "source": "host",
        "provider": None,
        "approved_by": None,
    }


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
    assert world.instructor.post(f"{hazmat.path}/close").status_code == 409  # not held yet
    calendar(datetime.date(2027, 10, 4))
    hazmat.attend({officer: [480, 480]}, {officer: True})
    second = hazmat.close()[officer]["award_ids"][0]
    awards = {a["id"]: a for a in world.officer.get("/awards").get_json()}
    assert (awards[first]["expires_on"], awards[first]["status"]) == ("2028-04-30", "valid")
    assert (
        awards[second]["issued_on"],
        awards[second]["expires_on"],
        awards[second]["renews_id"],
    ) == ("2027-10-03", "2030-04-30", first)
