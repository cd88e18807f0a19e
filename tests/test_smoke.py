def test_health_is_public(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "schema_version": "0001_initial"}


def test_world_builds(world):
    assert world.fire["timezone"] == "America/Chicago"
