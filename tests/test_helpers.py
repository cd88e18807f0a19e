"""The shared builders themselves."""


def test_world_builds(world):
    assert world.fire["timezone"] == "America/Chicago"
