"""Bearer tokens: a missing, malformed, unknown or deactivated token is a JSON 401."""

import pytest

from tests.helpers import (
    assert_error,
)


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
