"""PUT/GET /agencies/{id}/export-profile: the format a home agency imports, checked option by
option; its LRS password kept sealed, never shown back nor audited in clear."""

from tests.helpers import assert_error, stored_text, trail

XAPI = {
    "format": "xapi",
    "options": {
        "lrs_endpoint": "https://lrs.rfd.example/xAPI",
        "lrs_username": "muster",
        "lrs_password": "s3cret-pa55",
        "person_ref": "employee_id",
    },
}


def profile_path(agency):
    return f"/agencies/{agency['id']}/export-profile"


def test_the_coordinator_sets_a_preset_with_its_own_options_and_reads_it_back(world):
    body = {"format": "csv", "preset": "totara-course", "options": {"person_ref": "email"}}
    response = world.police_coordinator.put(profile_path(world.police), json=body)
    assert response.status_code == 200, response.get_json()
    shown = world.police_coordinator.get(profile_path(world.police)).get_json()
    assert {k: shown[k] for k in ("agency_id", "format", "preset", "options", "secrets_set")} == {
        "agency_id": world.police["id"],
        "format": "csv",
        "preset": "totara-course",
        "options": {"person_ref": "email"},
        "secrets_set": [],
    }
    agency = world.police_coordinator.get(f"/agencies/{world.police['id']}").get_json()
    assert agency["export_profile"] == {"format": "csv", "preset": "totara-course"}


def test_the_lrs_password_is_stored_sealed_and_shown_masked(world):
    response = world.fire_coordinator.put(profile_path(world.fire), json=XAPI)
    assert response.status_code == 200, response.get_json()
    for shown in (
        response.get_json(),
        world.fire_coordinator.get(profile_path(world.fire)).get_json(),
    ):
        assert shown["options"]["lrs_password"] == "********"
        assert shown["secrets_set"] == ["lrs_password"]
        assert "s3cret" not in str(shown)
    assert not any("s3cret-pa55" in text for text in stored_text())
    (entry,) = trail(world, "export_profile", world.fire["id"])
    assert entry["action"] == "create" and "s3cret" not in str(entry)


def test_a_later_put_without_the_password_keeps_it_and_null_clears_it(world):
    coordinator = world.fire_coordinator
    coordinator.put(profile_path(world.fire), json=XAPI)
    changed = {"format": "xapi", "options": {**XAPI["options"], "actor": "mbox"}}
    del changed["options"]["lrs_password"]
    shown = coordinator.put(profile_path(world.fire), json=changed).get_json()
    assert shown["secrets_set"] == ["lrs_password"] and shown["options"]["actor"] == "mbox"
    masked = {"format": "xapi", "options": {**XAPI["options"], "lrs_password": "********"}}
    assert coordinator.put(profile_path(world.fire), json=masked).get_json()["secrets_set"] == [
        "lrs_password"
    ]
    cleared = {"format": "xapi", "options": {**XAPI["options"], "lrs_password": None}}
    shown = coordinator.put(profile_path(world.fire), json=cleared).get_json()
    assert shown["secrets_set"] == [] and "lrs_password" not in shown["options"]


def test_bad_options_are_refused_naming_the_option(world):
    coordinator = world.police_coordinator
    cases = [
        ({"format": "pdf"}, ["format"]),
        ({"format": "csv", "preset": "nope"}, ["preset"]),
        (
            {"format": "csv", "preset": "state-roster", "options": {"date_format": "%Y"}},
            ["options"],
        ),
        ({"format": "csv"}, ["options"]),
        ({"format": "xapi", "options": {"lrs_endpoint": "not a url"}}, ["options"]),
        ({"format": "xapi", "options": {"base_url": "https://evil.example"}}, ["options"]),
    ]
    for body, fields in cases:
        error = assert_error(coordinator.put(profile_path(world.police), json=body), 422)
        assert list(error["errors"]["json"]) == fields, (body, error)
    error = assert_error(
        coordinator.put(
            profile_path(world.police),
            json={"format": "csv", "preset": "state-roster", "options": {"date_format": "%Y"}},
        ),
        422,
    )
    assert list(error["errors"]["json"]["options"]) == ["date_format"]
    assert "date_format" in error["message"]
    assert_error(coordinator.get(profile_path(world.police)), 404)  # nothing half-stored


def test_only_the_agencys_coordinator_or_an_admin_reach_its_profile(world):
    body = {"format": "csv", "preset": "canvas-enrollments"}
    assert_error(world.fire_coordinator.put(profile_path(world.police), json=body), 404)
    assert_error(world.fire_coordinator.get(profile_path(world.police)), 404)
    assert_error(world.officer.put(profile_path(world.police), json=body), 403)
    assert world.admin.put(profile_path(world.police), json=body).status_code == 200
    assert world.police_coordinator.get(profile_path(world.police)).status_code == 200
    assert_error(world.fire_coordinator.get(profile_path(world.police)), 404)
    assert_error(world.admin.get("/agencies/999/export-profile"), 404)


def test_a_password_sealed_under_an_old_secret_key_is_a_409_naming_the_fix(world, app):
    coordinator = world.fire_coordinator
    coordinator.put(profile_path(world.fire), json=XAPI)
    app.config["SECRET_KEY"] = "a-new-secret-key-after-a-leak"
    fix = f"set it again with PUT /agencies/{world.fire['id']}/export-profile"
    error = assert_error(coordinator.post(f"/agencies/{world.fire['id']}/exports/push"), 409)
    assert "lrs_password was sealed with another SECRET_KEY" in error["message"]
    assert fix in error["message"]
    # A pull needs no password: it still answers in the profile's format.
    pulled = coordinator.get(f"/agencies/{world.fire['id']}/exports")
    assert (pulled.status_code, pulled.mimetype) == (200, "application/json")
    assert coordinator.get(profile_path(world.fire)).get_json()["secrets_set"] == ["lrs_password"]
    # Keeping it (left out or masked) cannot work: the option is named; giving it mends all.
    kept = {"format": "xapi", "options": {**XAPI["options"], "lrs_password": "********"}}
    error = assert_error(coordinator.put(profile_path(world.fire), json=kept), 422)
    assert list(error["errors"]["json"]["options"]) == ["lrs_password"]
    assert coordinator.put(profile_path(world.fire), json=XAPI).status_code == 200
    assert coordinator.get(f"/agencies/{world.fire['id']}/exports").status_code == 200
