"""Completions: revoking one removes its hours and its awards."""


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
