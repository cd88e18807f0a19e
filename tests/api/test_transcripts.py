"""Transcripts: a window of completions with hours by credit category."""


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
