"""The format registry lists what Muster writes and refuses bad options by name."""

import pytest
from marshmallow import ValidationError

import lms


def errors(*args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        lms.validate_options(*args, **kwargs)
    return caught.value.messages


def test_formats_describe_name_title_media_type_extension_schema_and_presets():
    described = {f.name: f.describe() for f in lms.formats()}
    assert list(described) == ["csv", "xlsx", "xapi", "open-badges"]
    assert described["csv"]["media_type"] == "text/csv; charset=utf-8"
    assert described["xlsx"]["extension"] == "xlsx"
    preset = described["csv"]["presets"][0]
    assert set(preset) == {"name", "title", "description", "options"}


def test_unknown_format_or_preset_is_named():
    assert errors("pdf") == {
        "format": ["Unknown format 'pdf' (known: csv, xlsx, xapi, open-badges)."]
    }
    assert "preset" in errors("csv", preset="nope")


def test_bad_options_name_the_option():
    assert errors("csv", {"columns": [{"header": "x", "source": "salary"}]}) == {
        "columns": {0: {"source": ["Unknown source field 'salary'."]}}
    }
    assert errors("csv", {"columns": [{"header": "x"}]}) == {
        "columns": {0: {"source": ["Give either a source or a fixed value."]}}
    }
    assert list(errors("csv", preset="totara-course", options={"date_format": "%Y"})) == [
        "date_format"
    ]
    assert list(errors("xlsx", preset="state-roster", options={"person_ref": "ssn"})) == [
        "person_ref"
    ]
    assert list(errors("csv", {"columns": []})) == ["columns"]
    assert list(errors("xapi", {"lrs_endpoint": "not a url"})) == ["lrs_endpoint"]
    assert list(errors("csv", preset="totara-course", options={"colour": "red"})) == ["colour"]


def test_profile_options_override_the_presets_key_by_key():
    options = lms.validate_options("csv", {"bom": True}, preset="totara-course")
    assert options["bom"] is True
    assert [c["header"] for c in options["columns"]][0] == "username"


def test_secrets_are_never_shown_back():
    fmt = lms.get("xapi")
    options = fmt.options({"lrs_endpoint": "https://lrs.example/xapi", "lrs_password": "s3cret"})
    shown = fmt.public_options(options)
    assert "lrs_password" not in shown and shown["lrs_endpoint"] == "https://lrs.example/xapi"
