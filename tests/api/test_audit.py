"""The audit trail: each coordinator reads the entries about its own agency's records."""


def test_a_coordinator_reads_the_audit_of_its_agencys_records_only(world):
    fire_entries = world.fire_coordinator.get("/audit?page_size=1000").get_json()
    assert fire_entries
    assert all(
        world.fire["id"] in (e["agency_id"], e.get("person_agency_id")) for e in fire_entries
    )
    officer_user = world.officer.get("/users/me").get_json()["id"]
    assert (
        world.fire_coordinator.get(f"/audit?entity=user&entity_id={officer_user}").get_json() == []
    )
    assert (
        world.fire_coordinator.get(
            f"/audit?entity=person&entity_id={world.officer_person['id']}"
        ).get_json()
        == []
    )
    police = world.police_coordinator.get(
        f"/audit?entity=person&entity_id={world.officer_person['id']}"
    ).get_json()
    assert [e["action"] for e in police] == ["create"]
    assert len(world.admin.get("/audit?page_size=1000").get_json()) > len(fire_entries)
