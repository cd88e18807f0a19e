"""Users and their tokens: created by admins and coordinators within their agency, shown
once, stored hashed, rotated and revoked, every change audited."""

import datetime

from auth import hash_token
from models import ApiToken
from tests.helpers import (
    assert_error,
    created,
    new_user,
    stored_text,
)


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


def _expires_at(body_value):
    return datetime.datetime.fromisoformat(body_value)


def _age(app, token, days):
    """Move a token's expiry `days` into the past, as if that long had passed."""
    with app.app_context():
        row = ApiToken.get(ApiToken.token_hash == hash_token(token))
        row.expires_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) - (
            datetime.timedelta(days=days, minutes=1)
        )
        row.save()


def test_a_token_given_a_lifetime_stops_working_once_it_expires(app, world):
    before = datetime.datetime.now(datetime.UTC)
    body = created(
        new_user(
            world.fire_coordinator,
            email="temp@rfd.test",
            role="coordinator",
            agency_id=world.fire["id"],
            expires_in_days=30,
        )
    )
    expires = _expires_at(body["token_expires_at"])
    assert before + datetime.timedelta(days=30) - datetime.timedelta(seconds=1) <= expires
    assert expires <= datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)
    temp = world.admin.as_(body["token"])
    assert temp.get("/users/me").status_code == 200
    _age(app, body["token"], 0)
    assert_error(temp.get("/users/me"), 401)
    # a new token for the same user, with its own lifetime
    response = world.fire_coordinator.post(
        f"/users/{body['id']}/tokens", json={"expires_in_days": 1}
    )
    fresh = created(response)
    assert _expires_at(fresh["expires_at"]) <= datetime.datetime.now(
        datetime.UTC
    ) + datetime.timedelta(days=1)
    assert world.admin.as_(fresh["token"]).get("/users/me").status_code == 200
    _age(app, fresh["token"], 1)
    assert_error(world.admin.as_(fresh["token"]).get("/users/me"), 401)


def test_tokens_live_for_the_servers_default_unless_told_otherwise(app, world):
    app.config["TOKEN_DEFAULT_DAYS"] = 7
    body = created(
        new_user(world.admin, email="a@rfd.test", role="coordinator", agency_id=world.fire["id"])
    )
    days = _expires_at(body["token_expires_at"]) - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=6, hours=23) < days <= datetime.timedelta(days=7)
    forever = created(
        new_user(
            world.admin,
            email="b@rfd.test",
            role="coordinator",
            agency_id=world.fire["id"],
            expires_in_days=None,
        )
    )
    assert forever["token_expires_at"] is None
    fresh = created(world.admin.post(f"/users/{forever['id']}/tokens"))
    assert _expires_at(fresh["expires_at"]) - datetime.datetime.now(
        datetime.UTC
    ) > datetime.timedelta(days=6)


def test_a_token_lifetime_out_of_range_is_refused_naming_it(world):
    for days in (0, -1, 3651, "soon"):
        body = assert_error(
            new_user(
                world.admin,
                email="c@rfd.test",
                role="coordinator",
                agency_id=world.fire["id"],
                expires_in_days=days,
            ),
            422,
        )
        assert list(body["errors"]["json"]) == ["expires_in_days"]
    assert all(u["email"] != "c@rfd.test" for u in world.admin.get("/users").get_json())
