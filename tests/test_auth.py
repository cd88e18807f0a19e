"""Tokens, roles and agency scope, the audit of user changes, and Idempotency-Key,
all through the HTTP client as the contract describes them."""

import datetime

import pytest
from conftest import created
from peewee import CharField, TextField

from auth import hash_token
from models import MODELS, ApiToken


def assert_error(response, code):
    """A flask-smorest error body: JSON with the code, its phrase and a message."""
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == code and body["status"] and body["message"]
    return body


def stored_text():
    """Every text value in every table, to look for a token in clear."""
    for model in MODELS:
        columns = [f for f in model._meta.sorted_fields if isinstance(f, (CharField, TextField))]
        for row in model.select(*columns).dicts():
            yield from (str(v) for v in row.values() if v is not None)
        for field in model._meta.sorted_fields:  # JSON columns: their text form
            if type(field).__name__ == "JSONField":
                for (value,) in model.select(field).tuples():
                    yield repr(value)


def new_user(caller, headers=None, **body):
    return caller.post("/users", json=body, headers=headers)


# --- tokens ----------------------------------------------------------------------------


def test_create_admin_prints_a_working_token_as_its_last_line(app, anonymous):
    result = app.test_cli_runner().invoke(args=["create-admin", "Boss@Muster.test"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("mst_") and " " not in token
    me = anonymous.as_(token).get("/users/me")
    assert me.status_code == 200
    assert me.get_json()["email"] == "boss@muster.test"
    assert me.get_json()["role"] == "admin"
    # Running it again gives a second token; both work.
    again = app.test_cli_runner().invoke(args=["create-admin", "boss@muster.test"])
    second = again.output.strip().splitlines()[-1]
    assert second != token
    assert anonymous.as_(second).get("/users/me").status_code == 200
    assert anonymous.as_(token).get("/users/me").status_code == 200


def test_create_admin_refuses_an_existing_non_admin(app, world):
    result = app.test_cli_runner().invoke(args=["create-admin", "fc@rfd.test"])
    assert result.exit_code != 0
    assert "coordinator" in result.output


def test_a_new_users_token_is_shown_once_and_stored_hashed(app, world):
    body = created(
        new_user(
            world.fire_coordinator,
            email="Lt.Hayes@RFD.test",
            role="coordinator",
            agency_id=world.fire["id"],
        )
    )
    token = body["token"]
    assert token.startswith("mst_") and len(token) > 40
    assert body["email"] == "lt.hayes@rfd.test"
    assert world.admin.as_(token).get("/users/me").get_json()["id"] == body["id"]

    for path in (f"/users/{body['id']}", "/users", "/users/me"):
        response = world.admin.get(path)
        assert response.status_code == 200
        assert token not in response.get_data(as_text=True)
        assert "token" not in str(response.get_json())

    with app.app_context():
        rows = list(ApiToken.select().where(ApiToken.user == body["id"]))
        assert len(rows) == 1
        assert rows[0].token_hash == hash_token(token) != token
        assert rows[0].prefix == token[:10]
        leaks = [text for text in stored_text() if token in text]
    assert leaks == [], "a token is stored in clear"


def test_a_new_token_works_alongside_the_old_until_all_are_revoked(world):
    officer_id = world.officer.get("/users/me").get_json()["id"]
    response = world.police_coordinator.post(f"/users/{officer_id}/tokens")
    assert response.status_code == 201
    fresh = world.admin.as_(response.get_json()["token"])
    assert fresh.token != world.officer.token
    assert fresh.get("/users/me").get_json()["id"] == officer_id
    assert world.officer.get("/users/me").status_code == 200

    response = world.police_coordinator.delete(f"/users/{officer_id}/tokens")
    assert response.status_code == 200
    assert response.get_json()["revoked"] == 2
    assert_error(world.officer.get("/users/me"), 401)
    assert_error(fresh.get("/users/me"), 401)

    again = world.police_coordinator.post(f"/users/{officer_id}/tokens").get_json()["token"]
    assert world.admin.as_(again).get("/users/me").status_code == 200


def test_users_rotate_and_revoke_their_own_tokens(world):
    me = world.officer.get("/users/me").get_json()["id"]
    fresh = world.admin.as_(created(world.officer.post(f"/users/{me}/tokens"))["token"])
    assert world.officer.delete(f"/users/{me}/tokens").status_code == 200
    assert_error(fresh.get("/users/me"), 401)


def test_other_agencies_cannot_rotate_or_revoke_a_users_tokens(world):
    officer_id = world.officer.get("/users/me").get_json()["id"]
    assert_error(world.fire_coordinator.post(f"/users/{officer_id}/tokens"), 404)
    assert_error(world.fire_coordinator.delete(f"/users/{officer_id}/tokens"), 404)
    assert_error(world.instructor.delete(f"/users/{officer_id}/tokens"), 403)
    assert world.officer.get("/users/me").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer mst_not-a-real-token",
        "Bearer",
        "Bearer    ",
        "Basic dXNlcjpwYXNz",
        "mst_token-without-scheme",
    ],
)
def test_a_missing_or_bad_token_is_401_with_a_json_body(world, anonymous, header):
    headers = {"Authorization": header} if header is not None else {}
    for path in ("/people", "/users/me", "/audit"):
        assert_error(anonymous.get(path, headers=headers), 401)
    assert_error(
        anonymous.post(
            "/people",
            headers=headers,
            json={"agency_id": world.fire["id"], "first_name": "A", "last_name": "B"},
        ),
        401,
    )


def test_the_bearer_scheme_is_case_insensitive(world, anonymous):
    response = anonymous.get(
        "/users/me", headers={"Authorization": f"bearer {world.officer.token}"}
    )
    assert response.status_code == 200


def test_a_deactivated_users_token_stops_working(world):
    officer_id = world.officer.get("/users/me").get_json()["id"]
    response = world.police_coordinator.patch(f"/users/{officer_id}", json={"active": False})
    assert response.status_code == 200
    assert_error(world.officer.get("/users/me"), 401)


def test_health_needs_no_token(anonymous):
    assert anonymous.get("/health").status_code == 200


# --- roles and agency scope -----------------------------------------------------------


def test_a_coordinator_cannot_create_an_admin_or_users_of_another_agency(world):
    assert_error(new_user(world.fire_coordinator, email="x@rfd.test", role="admin"), 403)
    assert_error(
        new_user(
            world.fire_coordinator, email="x@rfd.test", role="admin", agency_id=world.fire["id"]
        ),
        403,
    )
    assert_error(
        new_user(
            world.fire_coordinator,
            email="x@rpd.test",
            role="coordinator",
            agency_id=world.police["id"],
        ),
        403,
    )
    assert_error(
        new_user(
            world.fire_coordinator,
            email="y@rpd.test",
            role="officer",
            agency_id=world.police["id"],
            person_id=world.officer_person["id"],
        ),
        403,
    )
    users = [u["email"] for u in world.admin.get("/users?page_size=1000").get_json()]
    assert "x@rfd.test" not in users and "x@rpd.test" not in users


def test_officers_and_instructors_cannot_create_users(world):
    for caller in (world.officer, world.instructor):
        assert_error(
            new_user(
                caller,
                email="z@rfd.test",
                role="officer",
                agency_id=world.fire["id"],
                person_id=world.instructor_person["id"],
            ),
            403,
        )


def test_a_coordinator_sees_only_its_agencys_people(world):
    police_person = world.officer_person["id"]
    fire_person = world.instructor_person["id"]
    # 404, not 403: another agency's people are not revealed to exist.
    assert_error(world.fire_coordinator.get(f"/people/{police_person}"), 404)
    assert_error(world.fire_coordinator.get(f"/people/{police_person + 1000}"), 404)
    assert_error(
        world.fire_coordinator.patch(
            f"/people/{police_person}",
            json={"agency_id": world.police["id"], "first_name": "X", "last_name": "Y"},
        ),
        404,
    )
    assert world.fire_coordinator.get(f"/people/{fire_person}").status_code == 200
    listed = world.fire_coordinator.get("/people").get_json()
    assert {p["agency_id"] for p in listed} == {world.fire["id"]}
    filtered = world.fire_coordinator.get(f"/people?agency_id={world.police['id']}")
    assert filtered.get_json() == []


def test_a_coordinator_sees_only_its_agencys_users_and_no_admins(world):
    officer_id = world.officer.get("/users/me").get_json()["id"]
    admin_id = world.admin.get("/users/me").get_json()["id"]
    assert_error(world.fire_coordinator.get(f"/users/{officer_id}"), 404)
    assert_error(world.fire_coordinator.get(f"/users/{admin_id}"), 404)
    assert_error(world.fire_coordinator.patch(f"/users/{officer_id}", json={"active": False}), 404)
    listed = world.fire_coordinator.get("/users").get_json()
    assert listed and {u["agency_id"] for u in listed} == {world.fire["id"]}
    assert "admin" not in {u["role"] for u in listed}
    assert world.officer.get("/users/me").status_code == 200


def test_an_officer_sees_only_its_own_person(world):
    own = world.officer_person["id"]
    assert world.officer.get(f"/people/{own}").get_json()["id"] == own
    for other in (world.instructor_person["id"], own + 1000):
        assert_error(world.officer.get(f"/people/{other}"), 404)
    assert [p["id"] for p in world.officer.get("/people").get_json()] == [own]
    assert_error(world.officer.get("/users"), 403)
    assert_error(world.officer.get("/audit"), 403)


# --- audit ---------------------------------------------------------------------------


def test_creating_a_user_is_audited_with_who_and_when(world):
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    body = created(
        new_user(
            world.fire_coordinator,
            email="eng7@rfd.test",
            role="coordinator",
            agency_id=world.fire["id"],
        )
    )
    after = datetime.datetime.now(datetime.UTC)
    coordinator = world.fire_coordinator.get("/users/me").get_json()
    entries = world.admin.get(f"/audit?entity=user&entity_id={body['id']}").get_json()
    assert len(entries) == 1
    entry = entries[0]
    assert entry["action"] == "create"
    assert entry["user_id"] == coordinator["id"]
    assert entry["user_email"] == "fc@rfd.test"
    assert entry["agency_id"] == world.fire["id"]
    assert before <= datetime.datetime.fromisoformat(entry["at"]) <= after
    assert entry["after"]["email"] == "eng7@rfd.test"
    assert body["token"] not in str(entry)


def test_token_rotation_and_revocation_are_audited(world):
    officer_id = world.officer.get("/users/me").get_json()["id"]
    world.police_coordinator.post(f"/users/{officer_id}/tokens")
    world.police_coordinator.delete(f"/users/{officer_id}/tokens")
    actions = [
        e["action"]
        for e in world.admin.get(f"/audit?entity=user&entity_id={officer_id}").get_json()
    ]
    assert actions == ["create", "issue_token", "revoke_tokens"]


def test_create_admin_is_audited(world):
    entries = world.admin.get("/audit?entity=user").get_json()
    assert any(
        e["after"]["email"] == "chief@muster.test" and e["after"]["role"] == "admin"
        for e in entries
    )


def test_a_coordinator_reads_the_audit_of_its_agencys_records_only(world):
    fire_entries = world.fire_coordinator.get("/audit?page_size=1000").get_json()
    assert fire_entries
    assert all(
        world.fire["id"] in (e["agency_id"], e.get("person_agency_id")) for e in fire_entries
    )
    officer_user = world.officer.get("/users/me").get_json()["id"]
    assert (
        world.fire_coordinator.get(f"/audit?entity=user&entity_id={officer_user}").get_json() == []
    )
    assert (
        world.fire_coordinator.get(
            f"/audit?entity=person&entity_id={world.officer_person['id']}"
        ).get_json()
        == []
    )
    police = world.police_coordinator.get(
        f"/audit?entity=person&entity_id={world.officer_person['id']}"
    ).get_json()
    assert [e["action"] for e in police] == ["create"]
    assert len(world.admin.get("/audit?page_size=1000").get_json()) > len(fire_entries)


# --- Idempotency-Key -----------------------------------------------------------------


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
    assert again.get_json() == {"token": None} and rotated["token"]


def test_a_key_reused_with_another_body_is_refused(world):
    headers = {"Idempotency-Key": "reused"}
    created(world.police_coordinator.post("/people", json=person_body(world), headers=headers))
    other = world.police_coordinator.post(
        "/people", headers=headers, json=person_body(world, employee_id="P-902", first_name="Ola")
    )
    assert other.status_code == 422
