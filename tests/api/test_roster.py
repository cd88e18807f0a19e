"""An offering's roster: people the caller already sees added by id, everyone else by their
details at the door, matched before anyone is created."""

from tests.helpers import add, created, fire_offering, trail, walk_in


def roster_of(world, offering):
    response = world.admin.get(f"/offerings/{offering['id']}/roster")
    assert response.status_code == 200
    return response.get_json()


def people_count(world):
    return int(
        world.admin.get("/people").headers["X-Pagination"].split('"total": ')[1].split(",")[0]
    )


UNKNOWN_PERSON = {
    "person_id": [
        (
            "Unknown person; add someone from another agency by their details "
            "(person: {first_name, last_name, agency_id, employee_id, ...})."
        )
    ]
}


def ems_medic(world, **extra):
    return world.person(
        world.ems,
        "Mia",
        "Chen",
        "E-42",
        email="mia.chen@cems.test",
        external_ids={"nremt": "NR-9001"},
        **extra,
    )


def test_an_instructor_adds_someone_of_another_agency_at_the_door_and_then_may_see_them(world):
    offering = fire_offering(world)
    officer_id = world.officer_person["id"]
    assert world.instructor.get(f"/people/{officer_id}").status_code == 404
    # an id the instructor cannot see is refused exactly as an id nobody has
    by_id = add(world.instructor, offering, {"person_id": officer_id})
    nobody = add(world.instructor, offering, {"person_id": 999})
    assert (by_id.status_code, by_id.get_json()["errors"]["json"]) == (422, UNKNOWN_PERSON)
    assert by_id.get_json() == nobody.get_json()
    assert roster_of(world, offering) == []
    before = people_count(world)
    body = created(add(world.instructor, offering, {"person": world.at_door(world.officer_person)}))
    entry = body["entry"]
    assert body == {
        "entry": entry,
        "person_id": officer_id,
        "agency_id": world.police["id"],
        "matched_by": "employee_id",
        "created_person": False,
        "created_agency": False,
    }
    assert people_count(world) == before
    assert entry == {
        "id": entry["id"],
        "offering_id": offering["id"],
        "person_id": officer_id,
        "person": {
            "id": officer_id,
            "first_name": "Sean",
            "last_name": "O'Brien",
            "agency_id": world.police["id"],
            "agency_name": "Riverton Police Department",
            "employee_id": "P-7",
        },
        "walk_in": True,
        "status": "enrolled",
        "reason": None,
        "matched_by": "employee_id",
        "created_at": entry["created_at"],
        "updated_at": entry["updated_at"],
    }
    assert entry["created_at"].endswith("+00:00")
    assert world.instructor.get(f"/people/{officer_id}").status_code == 200
    assert world.instructor.get(f"/offerings/{offering['id']}/roster").get_json() == [entry]
    assert (
        world.instructor.get(f"/offerings/{offering['id']}/roster/{entry['id']}").get_json()
        == entry
    )


def test_adding_someone_already_on_the_roster_changes_nothing(world):
    offering = fire_offering(world)
    door = world.at_door(world.officer_person)
    first = created(add(world.instructor, offering, {"person": door}))
    again = add(world.fire_coordinator, offering, {"person": door})
    assert again.status_code == 200
    assert again.get_json() == first
    # once on the instructor's roster the officer is someone it sees, so the id works too
    by_id = add(world.instructor, offering, {"person_id": world.officer_person["id"]})
    assert by_id.status_code == 200
    assert by_id.get_json() == dict(first, matched_by=None)
    assert len(roster_of(world, offering)) == 1
    assert [e["action"] for e in trail(world, "roster_entry", first["entry"]["id"])] == ["create"]


def test_an_unknown_person_id_is_refused_naming_person_id(world):
    offering = fire_offering(world)
    medic = ems_medic(world)
    response = add(world.instructor, offering, {"person_id": 999})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == UNKNOWN_PERSON
    # the id of someone the caller may not see says no more than an id nobody has
    for caller, stranger in (
        (world.instructor, world.officer_person["id"]),
        (world.instructor, medic["id"]),
        (world.fire_coordinator, world.officer_person["id"]),
        (world.fire_coordinator, medic["id"]),
    ):
        refused = add(caller, offering, {"person_id": stranger})
        assert refused.status_code == 422
        assert refused.get_json() == add(caller, offering, {"person_id": 999}).get_json()
    assert add(world.admin, offering, {"person_id": 999}).get_json() == response.get_json()
    assert roster_of(world, offering) == []


def test_a_walk_in_with_a_known_employee_id_is_the_existing_person(world):
    medic = ems_medic(world)
    offering = fire_offering(world)
    before = people_count(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in("Mia", "Chen", {"agency_id": world.ems["id"]}, employee_id="E-42"),
        )
    )
    assert body["person_id"] == medic["id"]
    assert body["matched_by"] == "employee_id"
    assert (body["created_person"], body["created_agency"]) == (False, False)
    assert body["entry"]["walk_in"] is True
    assert people_count(world) == before


def test_the_same_employee_id_in_another_agency_is_someone_else(world):
    medic = ems_medic(world)
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in("Max", "Vogel", {"agency_id": world.police["id"]}, employee_id="E-42"),
        )
    )
    assert body["person_id"] != medic["id"]
    assert (body["matched_by"], body["created_person"]) == (None, True)
    assert body["entry"]["person"]["agency_id"] == world.police["id"]


def test_a_walk_in_with_a_known_regulator_id_is_the_existing_person_whatever_agency_given(world):
    offering = fire_offering(world)
    before = people_count(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Sean",
                "OBrien",
                {"agency_id": world.ems["id"]},
                external_ids={"state_post": "IL-55501"},
            ),
        )
    )
    assert body["person_id"] == world.officer_person["id"]
    assert body["matched_by"] == "external_ids.state_post"
    assert body["created_person"] is False
    assert people_count(world) == before


def test_a_walk_in_with_a_known_email_is_the_existing_person_ignoring_case(world):
    medic = ems_medic(world)
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in("Mia", "Chen", {"agency_id": world.ems["id"]}, email="MIA.Chen@CEMS.test"),
        )
    )
    assert (body["person_id"], body["matched_by"]) == (medic["id"], "email")


def test_a_new_walk_in_is_created_in_their_agency_and_audited(world):
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Lee",
                "Park",
                {"agency_id": world.ems["id"]},
                email="Lee.Park@cems.test",
                employee_id="E-77",
                external_ids={"nremt": "NR-1234"},
            ),
        )
    )
    assert (body["matched_by"], body["created_person"], body["created_agency"]) == (
        None,
        True,
        False,
    )
    person = world.admin.get(f"/people/{body['person_id']}").get_json()
    assert (
        person["agency_id"],
        person["email"],
        person["employee_id"],
        person["external_ids"],
    ) == (world.ems["id"], "lee.park@cems.test", "E-77", {"nremt": "NR-1234"})
    [entry] = trail(world, "person", body["person_id"])
    assert (entry["action"], entry["user_email"]) == ("create", "ana@rfd.test")
    assert entry["reason"] == f"Walk-in at offering {offering['id']}."
    # the EMS coordinator sees the new person of their agency, and the audit of it
    assert world.ems_coordinator.get(f"/people/{body['person_id']}").status_code == 200


def test_a_walk_in_from_an_agency_not_yet_known_creates_it_unverified(world):
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Ola",
                "Berg",
                {"agency": {"name": "Lakeside  Volunteer Fire", "kind": "fire", "state": "WI"}},
                employee_id="7",
            ),
        )
    )
    assert (body["created_person"], body["created_agency"]) == (True, True)
    agency = world.admin.get(f"/agencies/{body['agency_id']}").get_json()
    assert (
        agency["name"],
        agency["code"],
        agency["kind"],
        agency["state"],
        agency["timezone"],
        agency["verified"],
    ) == (
        "Lakeside Volunteer Fire",
        "LAKESIDE-VOLUNTEER-FIRE",
        "fire",
        "WI",
        "America/Chicago",
        False,
    )
    assert body["entry"]["person"]["agency_name"] == "Lakeside Volunteer Fire"
    [entry] = trail(world, "agency", agency["id"])
    assert (entry["action"], entry["user_email"], entry["after"]["verified"]) == (
        "create",
        "ana@rfd.test",
        False,
    )
    # the next walk-in naming it (any case) joins it; the employee id now matches too
    again = created(
        add(
            world.instructor,
            fire_offering(world),
            walk_in(
                "Ola",
                "Berg",
                {"agency": {"name": "LAKESIDE volunteer fire", "kind": "fire", "state": "wi"}},
                employee_id="7",
            ),
        )
    )
    assert (again["person_id"], again["matched_by"], again["created_agency"]) == (
        body["person_id"],
        "employee_id",
        False,
    )


def test_a_named_agency_that_exists_is_found_by_code_or_by_name_and_state(world):
    offering = fire_offering(world)
    agencies = len(world.admin.get("/agencies").get_json())
    by_name = created(
        add(
            world.instructor,
            offering,
            walk_in("Kai", "Ng", {"agency": {"name": "county ems", "kind": "ems", "state": "il"}}),
        )
    )
    by_code = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Bo",
                "Li",
                {
                    "agency": {
                        "name": "CEMS Paramedics",
                        "code": "cems",
                        "kind": "ems",
                        "state": "IL",
                    }
                },
            ),
        )
    )
    assert by_name["agency_id"] == by_code["agency_id"] == world.ems["id"]
    assert by_name["created_agency"] is by_code["created_agency"] is False
    assert len(world.admin.get("/agencies").get_json()) == agencies


def test_an_agency_named_with_other_punctuation_or_spacing_is_the_same_agency(world):
    offering = fire_offering(world)
    first = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Ann",
                "Lund",
                {"agency": {"name": "Tri-County Ambulance, Inc.", "kind": "ems", "state": "IL"}},
            ),
        )
    )
    second = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Ben",
                "Lund",
                {"agency": {"name": "tri county  ambulance inc", "kind": "ems", "state": "IL"}},
            ),
        )
    )
    assert second["agency_id"] == first["agency_id"]
    assert (first["created_agency"], second["created_agency"]) == (True, False)
    agency = world.admin.get(f"/agencies/{first['agency_id']}").get_json()
    assert (agency["name"], agency["code"]) == (
        "Tri-County Ambulance, Inc.",
        "TRI-COUNTY-AMBULANCE-INC",
    )


def test_same_named_agencies_of_two_states_get_distinct_codes(world):
    offering = fire_offering(world)
    codes = []
    for state in ("OH", "IN"):
        body = created(
            add(
                world.instructor,
                offering,
                walk_in(
                    "Al",
                    state,
                    {
                        "agency": {
                            "name": "Springfield Fire",
                            "kind": "fire",
                            "state": state,
                            "timezone": "America/New_York",
                        }
                    },
                ),
            )
        )
        codes.append(world.admin.get(f"/agencies/{body['agency_id']}").get_json()["code"])
    assert codes == ["SPRINGFIELD-FIRE", "SPRINGFIELD-FIRE-2"]


def test_a_matched_walk_in_creates_no_agency(world):
    offering = fire_offering(world)
    agencies = len(world.admin.get("/agencies").get_json())
    body = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Sean",
                "O'Brien",
                {"agency": {"name": "Riverton PD", "kind": "law", "state": "IL"}},
                external_ids={"state_post": "IL-55501"},
            ),
        )
    )
    assert (body["person_id"], body["created_agency"]) == (world.officer_person["id"], False)
    assert len(world.admin.get("/agencies").get_json()) == agencies


def test_a_walk_in_must_name_exactly_one_known_agency(world):
    offering = fire_offering(world)
    people, agencies = people_count(world), len(world.admin.get("/agencies").get_json())
    walk_in = {"first_name": "No", "last_name": "Agency"}
    cases = [
        (
            walk_in,
            {
                "person": {
                    "agency_id": [
                        "Give agency_id, or agency {name, kind, state} for an agency not yet known."
                    ]
                }
            },
        ),
        (
            dict(
                walk_in,
                agency_id=world.ems["id"],
                agency={"name": "X", "kind": "ems", "state": "IL"},
            ),
            {"person": {"agency": ["Give agency_id or agency, not both."]}},
        ),
        (dict(walk_in, agency_id=999), {"person": {"agency_id": ["Unknown agency."]}}),
        (
            dict(walk_in, agency={"name": "X", "kind": "navy", "state": "IL"}),
            {
                "person": {
                    "agency": {
                        "kind": ["Must be one of: law, fire, ems, dispatch, hospital, other."]
                    }
                }
            },
        ),
        (
            dict(walk_in, agency={"name": "X", "kind": "ems"}),
            {"person": {"agency": {"state": ["Missing data for required field."]}}},
        ),
    ]
    for person, errors in cases:
        response = add(world.instructor, offering, {"person": person})
        assert response.status_code == 422, person
        assert response.get_json()["errors"]["json"] == errors
    response = add(world.instructor, offering, {})
    assert response.get_json()["errors"]["json"] == {
        "person_id": ["Give person_id, or person for a walk-in."]
    }
    response = add(
        world.instructor,
        offering,
        {"person_id": world.officer_person["id"], "person": dict(walk_in, agency_id=1)},
    )
    assert response.get_json()["errors"]["json"] == {
        "person": ["Give person_id or person, not both."]
    }
    assert roster_of(world, offering) == []
    assert people_count(world) == people
    assert len(world.admin.get("/agencies").get_json()) == agencies


def test_a_walk_in_whose_regulator_id_belongs_to_someone_else_is_refused(world):
    medic = ems_medic(world)
    offering = fire_offering(world)
    people = people_count(world)
    response = add(
        world.instructor,
        offering,
        walk_in(
            "Someone",
            "Else",
            {"agency_id": world.police["id"]},
            email="new@rpd.test",
            external_ids={"nremt": "NR-9001"},
        ),
    )
    assert (response.status_code, response.get_json()["message"]) == (
        409,
        "The regulator id nremt NR-9001 belongs to someone on file under a different name; "
        "nobody was enrolled. Check the card: correct the name or the regulator id nremt and "
        "send it again.",
    )
    assert "Mia" not in response.get_data(as_text=True)
    assert "Chen" not in response.get_data(as_text=True)
    assert roster_of(world, offering) == []
    assert people_count(world) == people
    # the same regulator id with the name on file is that person
    body = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "mia", "CHEN", {"agency_id": world.police["id"]}, external_ids={"nremt": "NR-9001"}
            ),
        )
    )
    assert (body["person_id"], body["matched_by"]) == (medic["id"], "external_ids.nremt")


def test_withdrawing_keeps_the_entry_and_adding_again_re_enrolls(world):
    offering = fire_offering(world)
    door = world.at_door(world.officer_person)
    entry = created(add(world.instructor, offering, {"person": door}))["entry"]
    url = f"/offerings/{offering['id']}/roster/{entry['id']}/withdraw"
    response = world.instructor.post(url, json={"reason": "Called to a shift."})
    assert response.status_code == 200
    withdrawn = response.get_json()
    assert (withdrawn["id"], withdrawn["status"], withdrawn["reason"]) == (
        entry["id"],
        "withdrawn",
        "Called to a shift.",
    )
    assert roster_of(world, offering) == [withdrawn]
    assert world.admin.get(f"/offerings/{offering['id']}/roster?status=enrolled").get_json() == []
    again = world.instructor.post(url, json={"reason": "Called to a shift."})
    assert again.status_code == 409
    assert world.instructor.post(url, json={}).status_code == 422
    back = created(add(world.instructor, offering, {"person": door}))
    assert (back["entry"]["id"], back["entry"]["status"], back["entry"]["reason"]) == (
        entry["id"],
        "enrolled",
        None,
    )
    assert back["matched_by"] == "employee_id"
    history = trail(world, "roster_entry", entry["id"])
    assert [(e["action"], e["user_email"], e["reason"]) for e in history] == [
        ("create", "ana@rfd.test", None),
        ("withdraw", "ana@rfd.test", "Called to a shift."),
        ("update", "ana@rfd.test", "Added again."),
    ]
    assert history[1]["before"]["status"] == "enrolled"
    assert history[1]["after"]["status"] == "withdrawn"


def test_a_withdrawn_person_drops_out_of_the_instructors_sight_but_the_host_adds_its_own_by_id(
    world,
):
    offering = fire_offering(world)
    officer_id = world.officer_person["id"]
    entry = created(
        add(world.instructor, offering, {"person": world.at_door(world.officer_person)})
    )["entry"]
    assert world.instructor.get(f"/people/{officer_id}").status_code == 200
    assert (
        world.instructor.post(
            f"/offerings/{offering['id']}/roster/{entry['id']}/withdraw",
            json={"reason": "Called to a shift."},
        ).status_code
        == 200
    )
    assert world.instructor.get(f"/people/{officer_id}").status_code == 404
    assert officer_id not in {p["id"] for p in world.instructor.get("/people").get_json()}
    refused = add(world.instructor, offering, {"person_id": officer_id})
    assert refused.status_code == 422
    assert refused.get_json() == add(world.instructor, offering, {"person_id": 999}).get_json()
    # the host coordinator adds a person of its own agency by id: not a walk-in
    firefighter = world.person(world.fire, "Jo", "Brandt", "F-210")
    body = created(add(world.fire_coordinator, offering, {"person_id": firefighter["id"]}))
    assert (
        body["person_id"],
        body["agency_id"],
        body["matched_by"],
        body["created_person"],
        body["entry"]["walk_in"],
    ) == (firefighter["id"], world.fire["id"], None, False, False)
    assert world.instructor.get(f"/people/{firefighter['id']}").status_code == 200
    assert [(e["person_id"], e["status"]) for e in roster_of(world, offering)] == [
        (firefighter["id"], "enrolled"),
        (officer_id, "withdrawn"),
    ]


def test_an_entry_of_another_offering_is_not_found(world):
    first, second = fire_offering(world), fire_offering(world)
    entry = created(add(world.instructor, first, {"person": world.at_door(world.officer_person)}))
    url = f"/offerings/{second['id']}/roster/{entry['entry']['id']}"
    assert world.instructor.get(url).status_code == 404
    assert world.instructor.post(url + "/withdraw", json={"reason": "wrong"}).status_code == 404
    assert world.instructor.get("/offerings/999/roster").status_code == 404


def test_only_those_running_the_offering_see_or_change_its_roster(world):
    offering = fire_offering(world)
    other_instructor_person = world.person(world.police, "Tom", "Kale", "P-9")
    other_instructor = world.user(
        "instructor", world.police, "tom@rpd.test", other_instructor_person
    )
    fire_offering(world, instructors=[other_instructor_person["id"]])
    url = f"/offerings/{offering['id']}/roster"
    body = {"person": world.at_door(world.officer_person)}
    for caller, status in (
        (world.officer, 403),
        (world.police_coordinator, 403),
        (world.ems_coordinator, 403),
        (other_instructor, 403),
        (world.admin.as_(None), 401),
    ):
        assert caller.get(url).status_code == status
        assert caller.post(url, json=body).status_code == status
    assert roster_of(world, offering) == []
    for caller in (world.admin, world.fire_coordinator, world.instructor):
        assert caller.post(url, json=body).status_code in (200, 201)
        assert len(caller.get(url).get_json()) == 1


def test_a_closed_offering_roster_is_locked_but_readable(world):
    offering = fire_offering(world)
    entry = created(
        add(world.instructor, offering, {"person": world.at_door(world.officer_person)})
    )
    assert world.admin.post(f"/offerings/{offering['id']}/close").status_code == 200
    response = add(world.instructor, offering, {"person_id": world.instructor_person["id"]})
    assert response.status_code == 409
    url = f"/offerings/{offering['id']}/roster/{entry['entry']['id']}/withdraw"
    assert world.instructor.post(url, json={"reason": "late"}).status_code == 409
    assert roster_of(world, offering) == [entry["entry"]]


def test_the_roster_is_paginated_by_last_name_and_filtered(world):
    offering = fire_offering(world)
    for last in ("Young", "Adams", "Meyer"):
        created(
            add(
                world.instructor,
                offering,
                walk_in("Pat", last, {"agency_id": world.ems["id"]}),
            )
        )
    # the admin, who sees everyone, adds the officer by id: not a walk-in
    created(add(world.admin, offering, {"person_id": world.officer_person["id"]}))
    url = f"/offerings/{offering['id']}/roster"
    response = world.instructor.get(url + "?page_size=2")
    assert [e["person"]["last_name"] for e in response.get_json()] == ["Adams", "Meyer"]
    assert '"total": 4' in response.headers["X-Pagination"]
    names = [
        e["person"]["last_name"]
        for e in world.instructor.get(url + "?page=2&page_size=2").get_json()
    ]
    assert names == ["O'Brien", "Young"]
    assert [
        e["person"]["last_name"] for e in world.instructor.get(url + "?walk_in=false").get_json()
    ] == ["O'Brien"]
    assert len(world.instructor.get(url + f"?agency_id={world.ems['id']}").get_json()) == 3
    assert [e["person"]["last_name"] for e in world.instructor.get(url + "?q=eye").get_json()] == [
        "Meyer"
    ]


def test_two_tablets_adding_the_same_person_at_once_make_one_entry(world, monkeypatch):
    from models import RosterEntry

    offering = fire_offering(world)
    door = world.at_door(world.officer_person)
    first = created(add(world.instructor, offering, {"person": door}))
    # the second request looked before the first one's entry was committed
    monkeypatch.setattr(RosterEntry, "get_or_none", classmethod(lambda cls, *args: None))
    again = add(world.fire_coordinator, offering, {"person": door})
    assert again.status_code == 200
    assert again.get_json()["entry"] == first["entry"]
    assert len(roster_of(world, offering)) == 1
