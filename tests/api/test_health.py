"""Health: public, and names the schema version."""

from tests.helpers import LATEST


def test_health_is_public(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "schema_version": "0001_initial"}


def test_health_needs_no_token(anonymous):
    assert anonymous.get("/health").status_code == 200


def test_health_reports_the_schema_version(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "schema_version": LATEST}
