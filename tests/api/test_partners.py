"""Partner agencies: an agency's coordinator keeps the list of its mutual-aid neighbours."""

import policy
from tests.helpers import assert_error, created, trail


def partners(caller, agency):
    return caller.get(f"/agencies/{agency['id']}/partners")


def set_partners(caller, agency, ids, field="partner_ids"):
    return caller.put(f"/agencies/{agency['id']}/partners", json={field: ids})


def dispatch(world):
    return created(
        world.admin.post(
            "/agencies",
            json={"name": "County 911", "code": "C911", "kind": "dispatch", "state": "IL"},
        )
    )


def test_a_new_agency_lists_no_partners(world):
    response = partners(world.fire_coordinator, world.fire)
    assert response.status_code == 200
    assert response.get_json() == {"agency_id": world.fire["id"], "partner_ids": [], "partners": []}


def test_the_coordinator_sets_the_list_and_reads_it_back_with_names(world):
    response = set_partners(
        world.fire_coordinator, world.fire, [world.police["id"], world.ems["id"]]
    )
    assert response.status_code == 200, response.get_json()
    body = partners(world.fire_coordinator, world.fire).get_json()
    assert body["partner_ids"] == sorted([world.police["id"], world.ems["id"]])
    assert [(p["id"], p["code"], p["kind"]) for p in body["partners"]] == sorted(
        [(world.police["id"], "RPD", "law"), (world.ems["id"], "CEMS", "ems")]
    )
    assert all(p["since"].endswith("+00:00") for p in body["partners"])


def test_agency_ids_is_accepted_as_another_name_for_the_list(world):
    response = set_partners(world.admin, world.fire, [world.police["id"]], field="agency_ids")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["partner_ids"] == [world.police["id"]]


def test_put_replaces_the_whole_list(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"], world.ems["id"]])
    response = set_partners(world.fire_coordinator, world.fire, [world.ems["id"]])
    assert response.get_json()["partner_ids"] == [world.ems["id"]]
    assert policy.partners_of(world.fire["id"]) == {world.ems["id"]}


def test_partnership_is_one_way(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"]])
    assert policy.partners_of(world.fire["id"]) == {world.police["id"]}
    assert policy.partners_of(world.police["id"]) == set()
    assert partners(world.police_coordinator, world.police).get_json()["partner_ids"] == []


def test_a_removed_partner_can_be_listed_again(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"]])
    set_partners(world.fire_coordinator, world.fire, [])
    assert policy.partners_of(world.fire["id"]) == set()
    set_partners(world.fire_coordinator, world.fire, [world.police["id"]])
    assert policy.partners_of(world.fire["id"]) == {world.police["id"]}


def test_each_change_is_audited_with_the_lists_before_and_after(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"], world.ems["id"]])
    set_partners(world.fire_coordinator, world.fire, [world.ems["id"]])
    entries = trail(world, "agency_partners", world.fire["id"])
    assert [(e["action"], e["before"], e["after"], e["user_email"]) for e in entries] == [
        (
            "set_partners",
            {"partner_ids": []},
            {"partner_ids": sorted([world.police["id"], world.ems["id"]])},
            "fc@rfd.test",
        ),
        (
            "set_partners",
            {"partner_ids": sorted([world.police["id"], world.ems["id"]])},
            {"partner_ids": [world.ems["id"]]},
            "fc@rfd.test",
        ),
    ]


def test_setting_the_same_list_again_writes_no_audit_entry(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"]])
    set_partners(world.fire_coordinator, world.fire, [world.police["id"], world.police["id"]])
    assert len(trail(world, "agency_partners", world.fire["id"])) == 1


def test_the_agency_coordinator_reads_the_audit_of_its_list(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"]])
    path = f"/audit?entity=agency_partners&entity_id={world.fire['id']}"
    assert len(world.fire_coordinator.get(path).get_json()) == 1


def test_unknown_ids_are_refused_by_name_and_nothing_changes(world):
    set_partners(world.fire_coordinator, world.fire, [world.police["id"]])
    response = set_partners(world.fire_coordinator, world.fire, [world.ems["id"], 99998, 99999])
    body = assert_error(response, 422)
    assert body["errors"]["json"]["partner_ids"] == ["Unknown agency ids: 99998, 99999."]
    assert policy.partners_of(world.fire["id"]) == {world.police["id"]}


def test_an_agency_cannot_be_its_own_partner(world):
    body = assert_error(set_partners(world.fire_coordinator, world.fire, [world.fire["id"]]), 422)
    assert "itself" in body["errors"]["json"]["partner_ids"][0]


def test_a_merged_agency_is_refused_naming_the_survivor(world):
    door = created(
        world.admin.post(
            "/agencies",
            json={"name": "Riverton PD", "code": "RPD2", "kind": "law", "state": "IL"},
        )
    )
    merged = world.admin.post(
        f"/agencies/{door['id']}/merge", json={"into_id": world.police["id"], "reason": "same"}
    )
    assert merged.status_code == 200, merged.get_json()
    body = assert_error(set_partners(world.fire_coordinator, world.fire, [door["id"]]), 422)
    assert body["errors"]["json"]["partner_ids"] == [
        f"Agency {door['id']} was merged into agency {world.police['id']}; "
        f"list {world.police['id']}."
    ]


def test_bad_bodies_name_the_field(world):
    for body in (
        {},
        {"partner_ids": "3"},
        {"partner_ids": ["x"]},
        {"partner_ids": [1], "agency_ids": [1]},
    ):
        response = world.fire_coordinator.put(f"/agencies/{world.fire['id']}/partners", json=body)
        error = assert_error(response, 422)
        assert "partner_ids" in error["errors"]["json"], error


def test_other_agencies_coordinators_see_no_list(world):
    assert_error(partners(world.police_coordinator, world.fire), 404)
    assert_error(set_partners(world.police_coordinator, world.fire, [world.police["id"]]), 404)
    assert policy.partners_of(world.fire["id"]) == set()


def test_the_agencys_own_instructor_may_not_manage_its_partners(world):
    assert_error(partners(world.instructor, world.fire), 403)
    assert_error(set_partners(world.instructor, world.fire, [world.police["id"]]), 403)


def test_an_unknown_agency_is_404(world):
    assert_error(partners(world.admin, {"id": 99999}), 404)


def test_without_a_token_it_is_401(world):
    assert_error(partners(world.anonymous, world.fire), 401)


def test_dispatch_listed_by_nobody_is_no_ones_partner(world):
    center = dispatch(world)
    set_partners(world.fire_coordinator, world.fire, [world.police["id"], world.ems["id"]])
    assert center["id"] not in policy.partners_of(world.fire["id"])
