"""Transcripts: a window of completions with hours by credit category."""

import json

import orjson


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


def test_the_transcript_shows_a_class_that_earned_no_credit_as_an_attempt(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 180]}, {officer: True})
    hazmat.close()
    path = f"/people/{officer}/transcript"
    for reader in (world.police_coordinator, world.officer):
        body = reader.get(path).get_json()
        assert (body["completions"], body["awards"], body["hours_total"]) == ([], [], "0.00")
        assert body["hours_by_category"] == {}
        [attempt] = body["attempts"]
        assert {k: v for k, v in attempt.items() if k not in ("id", "updated_at")} == {
            "offering_id": hazmat.offering["id"],
            "course_id": hazmat.course["id"],
            "title": "Hazardous Materials Operations",
            "issuer_id": world.fire["id"],
            "issuer_name": "Riverton Fire Department",
            "ended_on": "2026-04-12",
            "outcome": "not_completed",
            "hours_attended": "11.00",
            "hours_required": "14.40",
            "reasons": [
                "attended 11.00 of the 14.40 hours required",
                "the course gives no credit for partial attendance",
            ],
            "completion_id": None,
            "counts_as_credit": False,
        }
    inside = world.officer.get(f"{path}?from=2026-04-12&to=2026-04-12").get_json()
    assert len(inside["attempts"]) == 1
    for window in ("?from=2026-04-13", "?to=2026-04-11"):
        assert world.officer.get(path + window).get_json()["attempts"] == []


def test_a_completed_class_is_an_attempt_pointing_at_its_credit_counted_once(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    body = world.officer.get(f"/people/{officer}/transcript").get_json()
    [completion] = body["completions"]
    [attempt] = body["attempts"]
    assert (attempt["outcome"], attempt["completion_id"], attempt["hours_attended"]) == (
        "completed",
        completion["id"],
        "16.00",
    )
    assert body["hours_total"] == "16.00"


def test_the_transcript_shows_each_record_as_its_own_list_does(hazmat, world):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    award_id = hazmat.close()[officer]["award_ids"][0]
    world.fire_coordinator.post(f"/awards/{award_id}/revoke", json={"reason": "Shared answers"})
    body = world.officer.get(f"/people/{officer}/transcript").get_json()
    completions = world.officer.get(f"/completions?person_id={officer}").get_json()
    awards = world.officer.get(f"/awards?person_id={officer}").get_json()
    assert len(completions) == 1 and completions[0]["credits"] and awards[0]["revoked_at"]
    assert (body["completions"], body["awards"]) == (completions, awards)


def test_a_transcript_writes_each_record_as_its_own_list_does_to_the_byte(hazmat, world):
    """Every kind of value a record holds (outside training with its provider and hours in
    hundredths, a revoked record with a reason to escape, a class with its credits and
    score), written as the records' own routes write them, and as orjson writes JSON."""
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    for hours, title in [("7.5", 'Tactical "medicine" \u2603 \u00e9'), ("0.25", "Range day")]:
        body = {"title": title, "provider": "County \\ Academy", "completed_on": "2026-03-10"}
        body.update(person_id=officer, hours=hours, credits=[{"category": "ems", "hours": "0.25"}])
        submission = world.admin.post("/submissions", json=body).get_json()
        assert "id" in submission, submission
        approved = world.admin.post(f"/submissions/{submission['id']}/approve", json={})
        assert approved.status_code == 200, approved.get_json()
    records = world.officer.get(f"/completions?person_id={officer}").get_json()
    [outside] = [c for c in records if c["hours"] == "0.25"]
    reason = 'Entered twice:\t"Range day" \u2014 see\nthe roster \\ \x7f'
    revoked = world.admin.post(f"/completions/{outside['id']}/revoke", json={"reason": reason})
    assert revoked.status_code == 200, revoked.get_json()
    ids = b'{"external_ids": {"state_post": "IL-77", "nremt": "NR-9001"}}'  # kept unsorted
    changed = world.admin.patch(f"/people/{officer}", data=ids, content_type="application/json")
    assert changed.status_code == 200, changed.get_json()
    response = world.officer.get(f"/people/{officer}/transcript")
    body = response.get_json()
    assert body["person"]["external_ids"] == json.loads(ids)["external_ids"]
    completions = world.officer.get(f"/completions?person_id={officer}").get_json()
    assert len(completions) == 3 and {c["status"] for c in completions} == {"valid", "revoked"}
    assert body["completions"] == sorted(completions, key=lambda c: (c["completed_on"], c["id"]))
    assert (body["hours_total"], body["hours_by_category"]["ems"]) == ("23.50", "0.25")
    raw = response.get_data()
    assert raw == orjson.dumps(json.loads(raw), option=orjson.OPT_SORT_KEYS) + b"\n"
