"""Bad input of any kind is a clear 4xx naming the field, never a 500 and never a write."""

import pytest

import operations.people as people_operations


@pytest.mark.parametrize(
    "path",
    [
        "/people/99999999999999999999999",
        "/agencies/9223372036854775808",
        "/offerings/99999999999999999999/roster",
    ],
)
def test_huge_ids_in_the_path_are_not_found_or_refused(world, path):
    response = world.admin.get(path)
    assert response.status_code in (404, 422)
    assert response.is_json


def test_a_huge_id_in_the_body_is_refused(world):
    response = world.admin.post(
        "/people", json={"agency_id": 10**30, "first_name": "A", "last_name": "B"}
    )
    assert response.status_code in (403, 422)
    response = world.fire_coordinator.post(
        "/offerings",
        json={
            "course_id": 2**63,
            "sessions": [
                {"starts_at": "2026-04-11T08:00:00-05:00", "ends_at": "2026-04-11T12:00:00-05:00"}
            ],
        },
    )
    assert response.status_code == 422
    assert response.is_json


def test_a_nul_character_is_refused_naming_the_field(world):
    response = world.admin.post(
        "/people", json={"agency_id": world.fire["id"], "first_name": "Ana\x00", "last_name": "B"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {"first_name": ["Contains a NUL character."]}
    assert [p["last_name"] for p in world.admin.get("/people").get_json()] == ["O'Brien", "Ramírez"]


@pytest.mark.parametrize("body", ["not json", "[1, 2", '"a string"', "null", "[]"])
def test_malformed_bodies_are_clear_errors(world, body):
    response = world.admin.post("/people", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.is_json


def test_names_render_exactly_as_written(world):
    person = world.admin.post(
        "/people",
        json={
            "agency_id": world.fire["id"],
            "first_name": "Nguyễn Thị",
            "last_name": "Łukasz-Ørsted",
            "employee_id": "F-9",
        },
    ).get_json()
    assert (person["first_name"], person["last_name"]) == ("Nguyễn Thị", "Łukasz-Ørsted")


def test_every_error_body_has_a_message_naming_the_fields(world):
    response = world.admin.post("/people", json={"agency_id": "x", "first_name": ""})
    body = response.get_json()
    assert response.status_code == 422
    assert body["message"] == "Invalid input: json.agency_id, json.first_name, json.last_name."
    assert set(body) == {"code", "status", "message", "errors"}
    response = world.admin.get("/people?page_size=5000")
    assert response.get_json()["message"] == "Invalid input: query.page_size."
    response = world.anonymous.get("/people")
    assert (response.status_code, response.get_json()["code"]) == (401, 401)
    assert response.get_json()["message"]


def test_odd_characters_in_a_verify_code_or_idempotency_key_are_clear_errors(world):
    assert world.anonymous.get("/verify/A%00B").status_code == 404
    assert world.anonymous.get("/verify/%F0%9F%94%A5").status_code == 404
    response = world.admin.post(
        "/people",
        headers={"Idempotency-Key": "a\tb"},
        json={"agency_id": world.fire["id"], "first_name": "A", "last_name": "B"},
    )
    assert response.status_code == 400
    assert response.get_json()["message"] == (
        "Idempotency-Key is at most 200 printable characters."
    )


def test_a_session_in_the_far_future_is_refused_naming_the_field(world):
    course = world.fire_coordinator.post(
        "/courses",
        json={"code": "X", "title": "X", "host_agency_id": world.fire["id"], "hours": "1"},
    ).get_json()
    response = world.fire_coordinator.post(
        "/offerings",
        json={
            "course_id": course["id"],
            "sessions": [
                {"starts_at": "9999-06-01T08:00:00+00:00", "ends_at": "9999-06-01T09:00:00+00:00"}
            ],
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "sessions": {"0": {"starts_at": ["Must be between 1950 and 2200."]}}
    }


DATABASE_TEXT = ("unique", "constraint", "duplicate key", "integrity", "person.", "key (")


def _no_database_text(body):
    text = str(body).lower()
    assert [word for word in DATABASE_TEXT if word in text] == []


def _officer(world, employee_id, first="Jake", last="Morrow"):
    return world.police_coordinator.post(
        "/people",
        json={
            "agency_id": world.police["id"],
            "first_name": first,
            "last_name": last,
            "employee_id": employee_id,
        },
    )


def test_a_duplicate_employee_id_is_a_409_naming_it_in_words(world):
    assert _officer(world, "P-0457").status_code == 201
    response = _officer(world, "P-0457", "Nobody", "Atall")
    assert response.status_code == 409
    body = response.get_json()
    assert body["message"] == (
        "Another person of this agency already has employee id 'P-0457'; "
        "each employee id belongs to one person of an agency."
    )
    _no_database_text(body)
    # the same id in another agency is another person's, and fine
    other = world.ems_coordinator.post(
        "/people",
        json={
            "agency_id": world.ems["id"],
            "first_name": "Nobody",
            "last_name": "Atall",
            "employee_id": "P-0457",
        },
    )
    assert other.status_code == 201
    people = world.police_coordinator.get("/people?page_size=100").get_json()
    assert [p["employee_id"] for p in people].count("P-0457") == 1


def test_a_change_to_an_employee_id_already_held_is_a_409_naming_it(world):
    assert _officer(world, "P-0457").status_code == 201
    rookie = _officer(world, "P-0458", "Dana", "Ueda").get_json()
    response = world.police_coordinator.patch(
        f"/people/{rookie['id']}", json={"employee_id": "P-0457"}
    )
    assert response.status_code == 409
    assert "employee id 'P-0457'" in response.get_json()["message"]
    _no_database_text(response.get_json())
    assert world.admin.get(f"/people/{rookie['id']}").get_json()["employee_id"] == "P-0458"


def test_a_duplicate_the_database_catches_is_said_in_words_too(world, monkeypatch):
    """Two racing requests both pass the check; the database's unique index refuses the
    second, and its text never reaches the caller."""
    monkeypatch.setattr(people_operations, "check_ids_free", lambda *args, **kwargs: None)
    assert _officer(world, "P-0457").status_code == 201
    response = _officer(world, "P-0457", "Nobody", "Atall")
    assert response.status_code == 409
    body = response.get_json()
    assert body["message"] == "Another person already has this agency and employee id."
    assert body["errors"] == {"json": {"employee_id": [body["message"]]}}
    _no_database_text(body)
    people = world.police_coordinator.get("/people?page_size=100").get_json()
    assert [p["employee_id"] for p in people].count("P-0457") == 1
