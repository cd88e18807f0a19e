"""Hostile input: deep nesting, invalid Unicode, NUL, oversized bodies, lists, strings and
maps, ids in other digit systems, huge numbers and `If-Match: *` are each a clear 4xx
naming what is wrong, never a 500 and never a write; the OpenAPI document states every
limit the server enforces."""

import io
import json

import pytest

import limits
from tests.helpers import created, fire_offering

PREFIX = "/api/v1"
NOT_UNICODE = "Not valid Unicode text: a lone surrogate (\\ud800) or bytes that are not UTF-8."
HTTP_METHODS = ("get", "put", "post", "patch", "delete")


def send(caller, method, path, body, headers=None):
    """Raw bytes as a JSON body."""
    return caller.client.open(
        PREFIX + path,
        method=method,
        data=body,
        headers={"Authorization": f"Bearer {caller.token}", **(headers or {})},
        content_type="application/json",
    )


def person_body(world, first_name='"Ana"', **extra):
    """A POST /people body as JSON text, with first_name given as raw JSON."""
    rest = json.dumps({"last_name": "Lee", **extra})[1:]
    return f'{{"agency_id": {world.fire["id"]}, "first_name": {first_name}, {rest}'.encode()


def people(world):
    return sorted(p["last_name"] for p in world.admin.get("/people").get_json())


def refused(response, code, errors):
    """The response is a JSON `code` whose errors are exactly `errors`."""
    assert (response.status_code, response.is_json) == (code, True), response.get_data()
    body = response.get_json()
    assert body["errors"] == errors
    assert body["message"]
    return body


# --- nesting ---------------------------------------------------------------------------


def test_a_body_nested_490_deep_is_refused_before_it_is_parsed(world):
    body = person_body(world, "[" * 490 + "]" * 490)
    assert len(body) < 1100
    message = "The JSON body nests more than 32 levels of arrays and objects."
    response = send(world.admin, "POST", "/people", body)
    assert refused(response, 422, {"json": {"_schema": [message]}})["message"] == message
    objects = b'{"a":' * 33 + b"1" + b"}" * 33
    refused(send(world.admin, "POST", "/people", objects), 422, {"json": {"_schema": [message]}})
    assert people(world) == ["O'Brien", "Ramírez"]


def test_32_levels_pass_the_guard_and_meet_the_schema(world):
    response = send(world.admin, "POST", "/people", person_body(world, "[" * 31 + "]" * 31))
    refused(response, 422, {"json": {"first_name": ["Not a valid string."]}})


def test_brackets_inside_strings_are_not_nesting(world):
    name = "[{" * 40
    response = send(world.admin, "POST", "/people", person_body(world, json.dumps(name)))
    assert created(response)["first_name"] == name


# --- invalid Unicode and NUL -----------------------------------------------------------


def test_a_lone_surrogate_is_refused_naming_the_field_wherever_it_arrives(world):
    escaped = send(world.admin, "POST", "/people", person_body(world, '"Ana\\ud800"'))
    assert refused(escaped, 422, {"json": {"first_name": [NOT_UNICODE]}})["message"] == (
        "Invalid input: json.first_name."
    )
    # the same surrogate as raw bytes (UTF-8 never encodes one), and bytes that are no UTF-8
    for raw in (b"Ana\xed\xa0\x80", b"Ana\xff"):
        body = person_body(world).replace(b'"Ana"', b'"' + raw + b'"')
        response = send(world.admin, "POST", "/people", body)
        refused(response, 422, {"json": {"first_name": [NOT_UNICODE]}})
    nested = person_body(world, external_ids={"state_post": "IL-\ud800"})
    assert b'"IL-\\ud800"' in nested
    refused(
        send(world.admin, "POST", "/people", nested),
        422,
        {"json": {"external_ids": {"state_post": [NOT_UNICODE]}}},
    )
    refused(world.admin.get("/people?q=%ED%A0%80"), 422, {"query": {"q": [NOT_UNICODE]}})
    assert world.admin.get("/people?q=Ram%C3%ADrez").status_code == 200
    assert world.anonymous.get("/verify/%ED%A0%80").status_code == 404
    assert people(world) == ["O'Brien", "Ramírez"]


def test_a_nul_is_refused_naming_the_field_wherever_it_arrives(world):
    nul = ["Contains a NUL character."]
    response = send(world.admin, "POST", "/people", person_body(world, '"A\\u0000na"'))
    refused(response, 422, {"json": {"first_name": nul}})
    key = person_body(world, **{"ali\u0000s": "x"})
    refused(
        send(world.admin, "POST", "/people", key),
        422,
        {"json": {"ali\ufffds": ["This name contains a NUL character."]}},
    )
    offering = fire_offering(world)
    rows = [{"person_id": 1, "session_id": 1, "minutes": 1, "note": "ok"}] * 2
    rows = [rows[0], {**rows[1], "check_in": "2026-01-01T08:00:00\u0000"}]
    response = world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows)
    refused(response, 422, {"json": {"1": {"check_in": nul}}})
    # A search with a NUL was cut short at it (and found "Ramírez"); now it is refused.
    refused(world.admin.get("/people?q=Ram%00zzz"), 422, {"query": {"q": nul}})
    refused(
        world.admin.get("/people?q%00=Ram"),
        422,
        {"query": {"q\ufffd": ["This name contains a NUL character."]}},
    )
    assert world.anonymous.get("/verify/A%00B").status_code == 404
    upload = world.police_coordinator.post(
        f"/agencies/{world.police['id']}/people/import",
        data={"file": (io.BytesIO(b"first_name,last_name\nA,B\n"), "p.csv"), "note": "a\x00b"},
        content_type="multipart/form-data",
    )
    refused(upload, 422, {"form": {"note": nul}})
    assert people(world) == ["O'Brien", "Ramírez"]


def test_an_idempotency_key_that_is_not_printable_ascii_is_refused_naming_it(world, app):
    message = "Idempotency-Key is at most 200 printable characters."
    body = {"agency_id": world.fire["id"], "first_name": "A", "last_name": "B"}
    # "\xed\xa1\xa1" is how a server reads the UTF-8 bytes of a lone surrogate (latin-1).
    for key in ("\xed\xa1\xa1", "k\x00"):
        response = world.admin.post("/people", json=body, headers={"Idempotency-Key": key})
        refused(response, 400, {"headers": {"Idempotency-Key": [message]}})
    assert people(world) == ["O'Brien", "Ramírez"]


# --- sizes -----------------------------------------------------------------------------


def test_a_body_larger_than_its_route_allows_is_413_before_it_is_read(world, app):
    app.config["MAX_JSON_BODY"] = 4096
    app.config["MAX_BULK_JSON_BODY"] = 64 * 1024
    big = person_body(world, json.dumps("A" * 5000))
    stream = io.BytesIO(big)
    response = world.admin.client.open(
        PREFIX + "/people",
        method="POST",
        input_stream=stream,
        headers={
            "Authorization": f"Bearer {world.admin.token}",
            "Content-Type": "application/json",
            "Content-Length": str(len(big)),
        },
    )
    assert (response.status_code, stream.tell()) == (413, 0)
    assert response.get_json()["message"] == (
        f"This request may send at most 4,096 bytes; it sends {len(big):,}."
    )
    # a batch route takes more: 20 KB of attendance rows reach the schema
    offering = fire_offering(world)
    rows = [{"person_id": 999_999, "session_id": 1, "minutes": 1}] * 400
    response = world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows)
    assert 4096 < len(json.dumps(rows)) < 64 * 1024
    assert response.status_code == 422
    response = world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows * 5)
    assert response.status_code == 413
    assert people(world) == ["O'Brien", "Ramírez"]


def test_a_body_without_a_length_is_cut_off_at_its_routes_limit(world, app):
    app.config["MAX_JSON_BODY"] = 4096
    response = world.admin.client.open(
        PREFIX + "/people",
        method="POST",
        input_stream=io.BytesIO(person_body(world, json.dumps("A" * 5000))),
        headers={"Authorization": f"Bearer {world.admin.token}"},
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert (response.status_code, response.is_json) == (413, True)


def test_lists_strings_and_maps_over_their_limits_are_refused_naming_them(world):
    too_long = ["Longer than maximum length 2000."]
    course = {"code": "L-1", "title": "Limits", "host_agency_id": world.fire["id"], "hours": "8"}
    response = world.admin.post("/courses", json={**course, "description": "d" * 2001})
    refused(response, 422, {"json": {"description": too_long}})
    assert created(world.admin.post("/courses", json={**course, "description": "d" * 2000}))
    response = world.admin.get("/people?q=" + "r" * 2001)
    refused(response, 422, {"query": {"q": too_long}})
    offering = fire_offering(world)
    response = world.fire_coordinator.patch(
        f"/offerings/{offering['id']}", json={"instructor_ids": [1] * 1001}
    )
    refused(response, 422, {"json": {"instructor_ids": ["Longer than maximum length 1000."]}})
    ids = {f"board_{n}": f"B-{n}" for n in range(21)}
    response = world.admin.post(
        "/people",
        json={"agency_id": world.fire["id"], "first_name": "A", "last_name": "B"}
        | {"external_ids": ids},
    )
    refused(response, 422, {"json": {"external_ids": ["Longer than maximum length 20."]}})
    del ids["board_20"]
    person = created(
        world.admin.post(
            "/people",
            json={"agency_id": world.fire["id"], "first_name": "A", "last_name": "B"}
            | {"external_ids": ids},
        )
    )
    assert person["external_ids"] == ids


def test_400000_regulator_ids_are_refused_at_once(world, app):
    ids = {f"board_{n}": f"B-{n}" for n in range(400_000)}
    body = {"agency_id": world.fire["id"], "first_name": "A", "last_name": "B"}
    response = world.admin.post("/people", json=body | {"external_ids": ids})
    assert response.status_code == 413
    assert people(world) == ["O'Brien", "Ramírez"]


# --- ids and numbers -------------------------------------------------------------------


ARABIC_INDIC = str.maketrans(
    "0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
)
FULLWIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + n) for n in range(10)))


@pytest.mark.parametrize(
    "write",
    [
        lambda id: str(id).translate(ARABIC_INDIC),
        lambda id: str(id).translate(FULLWIDTH),
        lambda id: f"0{id}",
        lambda id: f"{id}.0",
        lambda id: f"+{id}",
        lambda id: "0",
    ],
    ids=["arabic-indic", "fullwidth", "leading-zero", "fraction", "sign", "zero"],
)
def test_an_id_in_the_path_in_other_digits_or_with_a_leading_zero_names_nothing(world, write):
    officer = world.officer_person["id"]
    assert world.admin.get(f"/people/{officer}").status_code == 200
    response = world.admin.get(f"/people/{write(officer)}")
    assert (response.status_code, response.is_json) == (404, True)


@pytest.mark.parametrize("written", ["\uff11\uff10", "\u0661\u0660", "010", " 10", "+10", "1e1"])
def test_a_number_in_the_query_in_other_digits_is_refused_naming_it(world, written):
    response = world.admin.get("/people", query_string={"page_size": written})
    refused(response, 422, {"query": {"page_size": ["Not a valid integer."]}})
    response = world.admin.get("/people", query_string={"agency_id": written})
    refused(response, 422, {"query": {"agency_id": ["Not a valid integer."]}})
    assert world.admin.get("/people", query_string={"page_size": "10"}).status_code == 200


@pytest.mark.parametrize(
    "agency_id, error",
    [
        ('"\u0663"', "Not a valid integer."),
        ('"03"', "Not a valid integer."),
        ("1.5", "Not a valid integer."),
        ("1e999999", "Not a valid integer."),
        ("-1e999999", "Not a valid integer."),
        (
            "9" * 400,
            "Must be greater than or equal to -2147483648 and less than or equal to 2147483647.",
        ),
        (
            "2147483648",
            "Must be greater than or equal to -2147483648 and less than or equal to 2147483647.",
        ),
    ],
)
def test_huge_or_foreign_numbers_in_the_body_are_refused_naming_them(world, agency_id, error):
    body = person_body(world).replace(str(world.fire["id"]).encode(), agency_id.encode(), 1)
    refused(send(world.admin, "POST", "/people", body), 422, {"json": {"agency_id": [error]}})


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1" * 5000])
def test_numbers_json_does_not_have_are_invalid_json(world, literal):
    body = person_body(world).replace(str(world.fire["id"]).encode(), literal.encode(), 1)
    refused(send(world.admin, "POST", "/people", body), 400, {"json": ["Invalid JSON body."]})


@pytest.mark.parametrize(
    "hours", ["1e999999", "Infinity", "NaN", "\uff18", "9" * 41, "1" + "0" * 30]
)
def test_huge_non_finite_or_foreign_decimals_are_refused_naming_them(world, hours):
    course = {"code": "H-1", "title": "Hours", "host_agency_id": world.fire["id"], "hours": hours}
    response = world.admin.post("/courses", json=course)
    assert (response.status_code, list(response.get_json()["errors"]["json"])) == (422, ["hours"])


# --- If-Match ----------------------------------------------------------------------------


def test_if_match_star_does_not_skip_reading_before_editing(world):
    path = f"/agencies/{world.fire['id']}"
    message = (
        "If-Match: * does not say which version you read: send the ETag of the item as you "
        "read it (GET it first), so no edit overwrites another unseen."
    )
    response = world.admin.patch(path, json={"name": "Star"}, headers={"If-Match": "*"})
    assert refused(response, 428, {"headers": {"If-Match": [message]}})["message"] == message
    assert world.admin.get(path).get_json()["name"] == "Riverton Fire Department"
    assert world.admin.patch(path, json={"name": "Read first"}).status_code == 200


# --- what the document says ------------------------------------------------------------


def request_schemas(spec):
    """(where, schema) of every path and query parameter and request body."""
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not operation:
                continue
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    continue  # If-Match / If-None-Match: headers, bounded by the server
                yield f"{method} {path} {parameter['name']}", parameter["schema"]
            body = operation.get("requestBody", {}).get("content", {})
            for content in body.values():
                yield f"{method} {path} body", content["schema"]


def unbounded(spec, where, schema, seen):
    """Where a value a request may send has no stated limit."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name in seen:
            return
        seen.add(name)
        yield from unbounded(spec, name, spec["components"]["schemas"][name], seen)
        return
    if schema.get("readOnly"):
        return
    for combined in schema.get("allOf", []) + schema.get("oneOf", []) + schema.get("anyOf", []):
        yield from unbounded(spec, where, combined, seen)
    kind = schema.get("type")
    if kind == "string" and not ({"maxLength", "enum"} & set(schema) or "format" in schema):
        yield f"{where}: string without maxLength"
    if kind == "string" and schema.get("format") == "decimal" and "maxLength" not in schema:
        yield f"{where}: decimal without maxLength"
    if kind == "integer" and not {"maximum", "minimum"} <= set(schema):
        yield f"{where}: integer without minimum and maximum"
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: array without maxItems"
        yield from unbounded(spec, f"{where}[]", schema.get("items", {}), seen)
    if isinstance(schema.get("additionalProperties"), dict):
        if "maxProperties" not in schema:
            yield f"{where}: map without maxProperties"
        yield from unbounded(spec, f"{where}{{}}", schema["additionalProperties"], seen)
    for name, inner in schema.get("properties", {}).items():
        yield from unbounded(spec, f"{where}.{name}", inner, seen)


def test_the_document_states_a_limit_for_everything_a_request_sends(anonymous):
    spec = anonymous.get(f"{PREFIX}/openapi.json").get_json()
    seen, found = set(), []
    for where, schema in request_schemas(spec):
        found.extend(unbounded(spec, where, schema, seen))
    assert found == []
    schemas = spec["components"]["schemas"]
    assert schemas["Person"]["properties"]["external_ids"]["maxProperties"] == limits.MAX_ENTRIES
    people = spec["paths"]["/api/v1/people/{person_id}"]
    assert people["parameters"][0]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 2147483647,
    }
    listing = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/people"]["get"]["parameters"]}
    assert (listing["page_size"]["maximum"], listing["q"]["maxLength"]) == (1000, 2000)
    if_match = spec["components"]["parameters"]["IF_MATCH"]
    assert "*" in if_match["description"] and if_match["schema"]["pattern"].startswith("^(W/)")


def test_x_pagination_is_documented_as_the_json_text_it_is(world):
    spec = world.anonymous.get(f"{PREFIX}/openapi.json").get_json()
    header = spec["components"]["headers"]["PAGINATION"]
    assert header["schema"] == {"type": "string"}
    listed = spec["paths"]["/api/v1/people"]["get"]["responses"]["200"]["headers"]
    assert listed["X-Pagination"] == {"$ref": "#/components/headers/PAGINATION"}
    sent = world.admin.get("/people?page_size=1").headers["X-Pagination"]
    assert json.loads(sent) == {
        "total": 2,
        "total_pages": 2,
        "first_page": 1,
        "last_page": 2,
        "page": 1,
        "next_page": 2,
    }


def test_every_405_says_which_methods_are_allowed(world):
    spec = world.anonymous.get(f"{PREFIX}/openapi.json").get_json()
    checked = 0
    for path, item in spec["paths"].items():
        documented = {m.upper() for m in HTTP_METHODS if m in item}
        other = next(m for m in ("DELETE", "PATCH", "PUT", "POST") if m not in documented)
        url = path.replace("{", "").replace("}", "")
        url = "/".join("1" if part.endswith("_id") else part for part in url.split("/"))
        response = world.admin._call(other, url)
        assert response.status_code == 405, (other, url)
        allowed = set(response.headers["Allow"].split(", "))
        assert allowed - {"HEAD", "OPTIONS"} == documented, (path, allowed)
        assert response.get_json()["message"]
        checked += 1
    assert checked >= 60
