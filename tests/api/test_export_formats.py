"""GET /export-formats: what the server writes, each format's options as a JSON Schema and
its presets, for any signed-in user."""

from tests.helpers import assert_error


def test_any_signed_in_user_lists_the_formats_with_options_and_presets(world):
    response = world.officer.get("/export-formats")
    assert response.status_code == 200
    formats = {f["name"]: f for f in response.get_json()}
    assert list(formats) == ["csv", "xlsx", "xapi", "open-badges"]
    csv = formats["csv"]
    assert (csv["media_type"], csv["extension"]) == ("text/csv; charset=utf-8", "csv")
    assert [p["name"] for p in csv["presets"]] == [
        "totara-course",
        "totara-certification",
        "cebroker-roster",
        "cebroker-roster-partial",
        "canvas-enrollments",
        "state-roster",
    ]
    totara = csv["presets"][0]
    assert [c["header"] for c in totara["options"]["columns"]] == [
        "username",
        "courseshortname",
        "courseidnumber",
        "completiondate",
        "grade",
    ]
    assert "bom" not in formats["xlsx"]["presets"][0]["options"]


def test_options_read_as_a_json_schema_with_types_defaults_and_choices(world):
    formats = {f["name"]: f for f in world.officer.get("/export-formats").get_json()}
    csv = formats["csv"]["options_schema"]
    assert csv["type"] == "object" and csv["required"] == ["columns"]
    assert csv["properties"]["hours_rounding"] == {
        "type": "string",
        "default": "half_up",
        "enum": ["half_up", "down"],
    }
    column = csv["properties"]["columns"]["items"]
    assert set(column["properties"]) == {"header", "source", "value", "prefix", "map"}
    xapi = formats["xapi"]["options_schema"]["properties"]
    assert xapi["lrs_password"]["writeOnly"] is True
    assert xapi["base_url"]["readOnly"] is True and xapi["more"]["readOnly"] is True
    assert xapi["actor"]["enum"] == ["account", "mbox"]


def test_without_a_token_the_formats_are_not_listed(anonymous):
    assert_error(anonymous.get("/export-formats"), 401)
