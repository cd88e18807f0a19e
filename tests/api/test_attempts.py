"""Attempts: every rostered person's outcome of a closed class, credit earned or not,
pulled by their home coordinator and no one else's."""

import datetime

import pytest

from models import Attempt, utcnow
from tests.helpers import assert_error

SHORT = [
    "attended 11.00 of the 14.40 hours required",
    "the course gives no credit for partial attendance",
]


@pytest.fixture
def closed(hazmat, world):
    """The officer sat 11 of the 14.4 hours required and passed; the medic sat all 16."""
    officer, medic = world.officer_person["id"], hazmat.medic["id"]
    hazmat.attend({officer: [480, 180], medic: [480, 480]}, {officer: True, medic: True})
    hazmat.close()
    return hazmat


def view(attempt):
    keys = (
        "person_id",
        "offering_id",
        "course_id",
        "title",
        "issuer_id",
        "outcome",
        "hours_attended",
        "hours_required",
        "reasons",
        "completion_id",
    )
    return {key: attempt[key] for key in keys}


def test_the_home_coordinator_sees_11_of_14_40_hours_as_not_completed(closed, world):
    response = world.police_coordinator.get("/attempts")
    assert response.status_code == 200
    [attempt] = response.get_json()
    assert view(attempt) == {
        "person_id": world.officer_person["id"],
        "offering_id": closed.offering["id"],
        "course_id": closed.course["id"],
        "title": "Hazardous Materials Operations",
        "issuer_id": world.fire["id"],
        "outcome": "not_completed",
        "hours_attended": "11.00",
        "hours_required": "14.40",
        "reasons": SHORT,
        "completion_id": None,
    }
    assert attempt["person_name"] == "Sean O'Brien"
    # no credit for it: nothing in the completions pull, nothing on the hours total
    assert world.police_coordinator.get("/completions").get_json() == []
    one = world.police_coordinator.get(f"/attempts/{attempt['id']}")
    assert one.status_code == 200 and view(one.get_json()) == view(attempt)


def test_each_home_coordinator_sees_only_its_own_peoples_outcomes(closed, world):
    officer, medic = world.officer_person["id"], closed.medic["id"]
    ems = world.ems_coordinator.get("/attempts").get_json()
    assert [(a["person_id"], a["outcome"], a["hours_attended"]) for a in ems] == [
        (medic, "completed", "16.00")
    ]
    [completion] = world.ems_coordinator.get("/completions").get_json()
    assert ems[0]["completion_id"] == completion["id"]
    police = world.police_coordinator.get("/attempts").get_json()
    assert [a["person_id"] for a in police] == [officer]
    # another agency's person is not found, not hinted at
    assert_error(world.police_coordinator.get(f"/attempts/{ems[0]['id']}"), 404)
    assert world.police_coordinator.get(f"/attempts?person_id={medic}").get_json() == []
    # the host's coordinator and the instructor see their class; the officer only his own
    host = world.fire_coordinator.get("/attempts").get_json()
    assert sorted(a["person_id"] for a in host) == sorted([officer, medic])
    taught = world.instructor.get("/attempts").get_json()
    assert sorted(a["person_id"] for a in taught) == sorted([officer, medic])
    assert [a["person_id"] for a in world.officer.get("/attempts").get_json()] == [officer]
    assert_error(world.anonymous.get("/attempts"), 401)


@pytest.mark.parametrize(
    "since",
    [
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T00:00:00 00:00",  # the '+' a URL turned into a space
        "2025-12-31T18:00:00-06:00",
        "2026-01-01",
    ],
)
def test_changed_since_pulls_the_outcome_in_any_usual_time_form(closed, world, since):
    response = world.police_coordinator.get(f"/attempts?changed_since={since}")
    assert response.status_code == 200, response.get_json()
    assert [a["outcome"] for a in response.get_json()] == ["not_completed"]
    response = world.police_coordinator.get("/completions", query_string={"changed_since": since})
    assert response.status_code == 200, response.get_json()


def test_changed_since_later_than_the_close_pulls_nothing(closed, world):
    [attempt] = world.police_coordinator.get("/attempts").get_json()
    assert world.police_coordinator.get("/attempts?changed_since=2999-01-01").get_json() == []
    spaced = attempt["updated_at"].replace("+", " ")
    assert world.police_coordinator.get(f"/attempts?changed_since={spaced}").get_json() == [attempt]


@pytest.mark.parametrize(
    "since, message",
    [
        ("2026-01-01T00:00:00", "Give an offset with the time (Z, or -06:00), or a plain date."),
        ("yesterday", "Not a valid time"),
        ("2026-02-30", "Not a valid time"),
    ],
)
def test_a_changed_since_that_is_not_a_time_is_refused_naming_it(world, since, message):
    body = assert_error(world.police_coordinator.get(f"/attempts?changed_since={since}"), 422)
    [text] = body["errors"]["query"]["changed_since"]
    assert text.startswith(message)


def test_a_reclose_that_changes_the_outcome_updates_the_attempt_and_flows_to_the_pull(
    closed, world, app
):
    officer = world.officer_person["id"]
    [before] = world.police_coordinator.get("/attempts").get_json()
    with app.app_context():  # the close happened yesterday
        Attempt.update(updated_at=utcnow() - datetime.timedelta(days=1)).execute()
    since = {"changed_since": (utcnow() - datetime.timedelta(hours=1)).isoformat() + "Z"}
    assert world.police_coordinator.get("/attempts", query_string=since).get_json() == []
    reason = {"reason": "The officer's second-day sheet was found."}
    assert world.fire_coordinator.post(f"{closed.path}/reopen", json=reason).status_code == 200
    day_two = closed.offering["sessions"][1]["id"]
    rows = [{"person_id": officer, "session_id": day_two, "minutes": 480}]
    assert world.instructor.put(f"{closed.path}/attendance", json=rows).status_code == 200
    closed.close()
    [after] = world.police_coordinator.get("/attempts", query_string=since).get_json()
    assert after["id"] == before["id"]
    assert (after["outcome"], after["hours_attended"], after["reasons"]) == (
        "completed",
        "16.00",
        [],
    )
