"""The OpenAPI document is valid and describes every route the app serves.

Routes are read from app.url_map, so a blueprint added tomorrow is checked too.
"""

import re

import pytest
from openapi_spec_validator import validate

PREFIX = "/api/v1"


NOT_IN_SPEC = {f"{PREFIX}/openapi.json", f"{PREFIX}/docs"}


HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


CONVERTER = re.compile(r"<(?:[a-zA-Z_]\w*(?:\([^)]*\))?:)?([a-zA-Z_]\w*)>")


def openapi_path(rule):
    """/api/v1/people/<int:person_id> -> /api/v1/people/{person_id}"""
    return CONVERTER.sub(r"{\1}", rule)


def served_operations(app):
    """{(path, method)} of every Flask rule under /api/v1, docs excepted."""
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/") or rule.rule in NOT_IN_SPEC:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operations.add((openapi_path(rule.rule), method.lower()))
    return operations


def documented_operations(spec):
    """{(path, method)} of every operation in the document, with the server prefix."""
    return {
        (path, method)
        for path, item in spec["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


@pytest.fixture
def spec(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Muster"
    validate(spec)


def test_the_converter_names_path_parameters():
    assert openapi_path("/api/v1/people/<int:person_id>") == "/api/v1/people/{person_id}"
    assert openapi_path("/api/v1/verify/<code>") == "/api/v1/verify/{code}"
    assert (
        openapi_path("/api/v1/a/<string(length=12):code>/b/<path:rest>")
        == "/api/v1/a/{code}/b/{rest}"
    )


def test_every_route_and_method_is_documented(app, spec):
    served = served_operations(app)
    assert (f"{PREFIX}/health", "get") in served  # the url_map really was read
    missing = sorted(served - documented_operations(spec))
    assert not missing, f"routes missing from the OpenAPI document: {missing}"


def test_the_document_names_no_route_the_app_does_not_serve(app, spec):
    stale = sorted(documented_operations(spec) - served_operations(app))
    assert not stale, f"operations documented but not served: {stale}"


def test_every_operation_has_a_summary_and_responses(spec):
    unsummarised, without_responses = [], []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            if not (operation.get("summary") or "").strip():
                unsummarised.append(f"{method.upper()} {path}")
            if not operation.get("responses"):
                without_responses.append(f"{method.upper()} {path}")
    assert not unsummarised, f"operations without a summary (a docstring): {unsummarised}"
    assert not without_responses, f"operations without responses: {without_responses}"


def test_bearer_security_is_declared_and_health_is_public(spec):
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearer": []}]
    assert spec["paths"][f"{PREFIX}/health"]["get"]["security"] == []


def test_the_interactive_docs_answer(anonymous):
    response = anonymous.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.get_data(as_text=True).lower()
