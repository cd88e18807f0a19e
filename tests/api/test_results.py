"""Results: a corrected score supersedes the completion but keeps the certificate."""

import limits


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


def test_a_results_batch_past_its_stated_limit_is_refused_and_writes_nothing(hazmat, world):
    officer = world.officer_person["id"]
    row = {"person_id": officer, "passed": True, "score": "90"}
    path = f"{hazmat.path}/results"
    response = world.instructor.put(path, json=[row] * (limits.MAX_BATCH + 1))
    assert response.status_code == 422
    assert response.get_json()["message"] == "A batch holds at most 10000 rows; send several."
    assert world.instructor.get(path).get_json() == []
    spec = world.anonymous.get("/api/v1/openapi.json").get_json()
    body = spec["paths"]["/api/v1/offerings/{offering_id}/results"]["put"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["maxItems"] == limits.MAX_BATCH
