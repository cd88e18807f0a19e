"""Idempotency-Key: a creating POST sent twice with one key is answered once."""

from tests.helpers import assert_error, created, new_user, stored_text


def person_body(world, **extra):
    return {
        "agency_id": world.police["id"],
        "first_name": "Maya",
        "last_name": "Lindqvist",
        "employee_id": "P-901",
        **extra,
    }


def test_the_same_post_twice_with_one_key_creates_one_person(world):
    headers = {"Idempotency-Key": "7d0c6a3e-roster-import-1"}
    first = world.police_coordinator.post("/people", json=person_body(world), headers=headers)
    second = world.police_coordinator.post("/people", json=person_body(world), headers=headers)
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.get_json() == first.get_json()
    assert second.get_data() == first.get_data()
    listed = world.police_coordinator.get("/people?employee_id=P-901").get_json()
    assert [p["id"] for p in listed] == [first.get_json()["id"]]
    audit = world.admin.get(f"/audit?entity=person&entity_id={first.get_json()['id']}")
    assert len(audit.get_json()) == 1


def test_without_a_key_the_second_post_is_a_conflict(world):
    created(world.police_coordinator.post("/people", json=person_body(world)))
    assert_error(world.police_coordinator.post("/people", json=person_body(world)), 409)


def test_a_key_is_the_callers_own_and_bound_to_its_path(world):
    headers = {"Idempotency-Key": "shared-key"}
    created(world.police_coordinator.post("/people", json=person_body(world), headers=headers))
    # Another caller's identical key is a new request.
    other = world.admin.post(
        "/people", headers=headers, json=person_body(world, employee_id="P-902", first_name="Ola")
    )
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    # The same key on another path is refused rather than answered with a person.
    body = assert_error(
        world.police_coordinator.post(
            "/certifications", headers=headers, json={"name": "X", "issuing_body": "Y"}
        ),
        422,
    )
    assert "Idempotency-Key" in body["message"]


def test_failed_requests_are_not_remembered(world):
    headers = {"Idempotency-Key": "retry-after-fix"}
    bad = world.police_coordinator.post(
        "/people", headers=headers, json=person_body(world, first_name="")
    )
    assert bad.status_code == 422
    good = world.police_coordinator.post("/people", headers=headers, json=person_body(world))
    assert good.status_code == 201 and "Idempotent-Replayed" not in good.headers


def test_an_overlong_key_is_refused(world):
    assert_error(
        world.police_coordinator.post(
            "/people", json=person_body(world), headers={"Idempotency-Key": "k" * 201}
        ),
        400,
    )


def test_a_replayed_user_creation_keeps_no_token_in_clear(app, world):
    headers = {"Idempotency-Key": "new-user-1"}
    body = {"email": "p@rfd.test", "role": "coordinator", "agency_id": world.fire["id"]}
    first = created(new_user(world.fire_coordinator, headers=headers, **body))
    with app.app_context():
        leaks = [text for text in stored_text() if first["token"] in text]
    assert leaks == [], "the remembered response holds the token in clear"
    replay = new_user(world.fire_coordinator, headers=headers, **body)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.get_json() == {**first, "token": None}  # shown once: rotate if lost
    user = world.admin.as_(first["token"]).get("/users/me").get_json()
    assert user["id"] == first["id"]
    rotated = created(
        world.fire_coordinator.post(
            f"/users/{first['id']}/tokens", headers={"Idempotency-Key": "rotate-1"}
        )
    )
    again = world.fire_coordinator.post(
        f"/users/{first['id']}/tokens", headers={"Idempotency-Key": "rotate-1"}
    )
    assert again.get_json() == {"token": None, "expires_at": None} and rotated["token"]


def test_a_key_reused_with_another_body_is_refused(world):
    headers = {"Idempotency-Key": "reused"}
    created(world.police_coordinator.post("/people", json=person_body(world), headers=headers))
    other = world.police_coordinator.post(
        "/people", headers=headers, json=person_body(world, employee_id="P-902", first_name="Ola")
    )
    assert other.status_code == 422
