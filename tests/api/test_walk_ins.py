"""Identity at the door: a walk-in is matched to a person on file only when the name agrees
with the identifier given, by name alone when exactly one person of the agency has it, and
every match is recorded for the person's home coordinator."""

import collections

import pytest

from tests.helpers import Server, add, created, fire_offering, trail, walk_in


def roster_of(world, offering):
    return world.admin.get(f"/offerings/{offering['id']}/roster").get_json()


def people_named(world, last):
    return [p for p in world.admin.get(f"/people?q={last}").get_json() if p["last_name"] == last]


def refused_409(response):
    assert response.status_code == 409, response.get_json()
    return response.get_json()["message"]


# --- identity at the door: an identifier must carry the name on file --------------------


def test_an_employee_id_of_someone_with_another_name_is_refused_and_enrolls_nobody(world):
    offering = fire_offering(world)
    people = len(world.admin.get("/people").get_json())
    response = add(
        world.instructor,
        offering,
        walk_in("Nobody", "Atall", {"agency_id": world.police["id"]}, employee_id="P-7"),
    )
    assert refused_409(response) == (
        "The employee id P-7 belongs to someone on file under a different name; nobody was "
        "enrolled. Check the card: correct the name or the employee id and send it again."
    )
    text = response.get_data(as_text=True)
    for written_on_file in ("Sean", "O'Brien", "OBrien", "Brien", "sean@rpd.test", "IL-55501"):
        assert written_on_file not in text
    assert roster_of(world, offering) == []
    assert len(world.admin.get("/people").get_json()) == people
    # the instructor still cannot see who holds the id
    assert world.instructor.get(f"/people/{world.officer_person['id']}").status_code == 404


def test_an_e_mail_address_of_someone_with_another_name_is_refused_naming_the_address(world):
    offering = fire_offering(world)
    world.person(world.ems, "Mia", "Chen", "E-42", email="mia.chen@cems.test")
    response = add(
        world.instructor,
        offering,
        walk_in("Max", "Vogel", {"agency_id": world.police["id"]}, email="MIA.CHEN@cems.test"),
    )
    assert refused_409(response) == (
        "The e-mail address MIA.CHEN@cems.test belongs to someone on file under a different "
        "name; nobody was enrolled. Check the card: correct the name or the e-mail address and "
        "send it again."
    )
    assert "Mia" not in response.get_data(as_text=True)
    assert roster_of(world, offering) == []


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("Sean", "O'Brien"),
        ("SEÁN", "O’BRIEN"),
        ("sean", "o brien"),
        ("S.", "OBrien"),
        ("Sean Patrick", "O-Brien"),
    ],
)
def test_an_employee_id_with_the_name_written_another_way_is_the_person_on_file(world, first, last):
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in(first, last, {"agency_id": world.police["id"]}, employee_id="P-7"),
        )
    )
    assert (body["person_id"], body["matched_by"], body["created_person"]) == (
        world.officer_person["id"],
        "employee_id",
        False,
    )


def test_identifiers_that_lead_to_two_people_are_refused(world):
    offering = fire_offering(world)
    world.person(world.police, "Sean", "O'Brien", "P-8", email="other.sean@rpd.test")
    response = add(
        world.instructor,
        offering,
        walk_in(
            "Sean",
            "O'Brien",
            {"agency_id": world.police["id"]},
            employee_id="P-7",
            email="other.sean@rpd.test",
        ),
    )
    assert refused_409(response) == (
        "The employee id P-7 and the e-mail address other.sean@rpd.test belong to different "
        "people on file; nobody was enrolled. Check the card and send the identifiers of one "
        "person."
    )
    assert roster_of(world, offering) == []


# --- name-only walk-ins -----------------------------------------------------------------


def test_a_name_only_walk_in_is_the_one_person_of_that_agency_with_that_name(world):
    morrow = world.person(world.police, "Jake", "Morrow", "P-31")
    world.person(world.ems, "Jake", "Morrow", "E-31")  # same name, another agency
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor, offering, walk_in("JAKE", "morrow", {"agency_id": world.police["id"]})
        )
    )
    assert (body["person_id"], body["matched_by"], body["created_person"]) == (
        morrow["id"],
        "name",
        False,
    )
    assert len(people_named(world, "Morrow")) == 2


def test_a_name_only_walk_in_with_an_initial_or_a_middle_name_is_the_one_on_file(world):
    morrow = world.person(world.police, "Jake", "Morrow", "P-31")
    offering = fire_offering(world)
    for first in ("J.", "Jake Allen"):
        body = add(
            world.instructor, offering, walk_in(first, "Morrow", {"agency_id": world.police["id"]})
        )
        assert body.status_code in (200, 201)
        assert (body.get_json()["person_id"], body.get_json()["matched_by"]) == (
            morrow["id"],
            "name",
        )
    assert len(people_named(world, "Morrow")) == 1


def test_a_name_only_walk_in_shared_by_several_people_asks_for_an_identifier(world):
    world.person(world.police, "Eve", "Fox", "P-40")
    world.person(world.police, "Eve", "Fox", "P-41")
    offering = fire_offering(world)
    response = add(
        world.instructor, offering, walk_in("Eve", "Fox", {"agency_id": world.police["id"]})
    )
    assert refused_409(response) == (
        "2 people of this agency have this name; nobody was enrolled. Give their employee id, "
        "a regulator id or their e-mail address to say which."
    )
    assert roster_of(world, offering) == []
    assert len(people_named(world, "Fox")) == 2
    # an employee id says which
    body = created(
        add(
            world.instructor,
            offering,
            walk_in("Eve", "Fox", {"agency_id": world.police["id"]}, employee_id="P-41"),
        )
    )
    assert body["matched_by"] == "employee_id"


def test_a_new_name_only_walk_in_is_created_once_and_then_matched_by_name(world):
    offering = fire_offering(world)
    first = created(
        add(world.instructor, offering, walk_in("Eve", "Fox", {"agency_id": world.ems["id"]}))
    )
    assert (first["matched_by"], first["created_person"]) == (None, True)
    again = created(
        add(
            world.instructor,
            fire_offering(world),
            walk_in("eve", "FOX", {"agency_id": world.ems["id"]}),
        )
    )
    assert (again["person_id"], again["matched_by"], again["created_person"]) == (
        first["person_id"],
        "name",
        False,
    )
    assert len(people_named(world, "Fox")) == 1


def test_a_walk_in_whose_employee_id_differs_from_the_namesake_on_file_is_someone_new(world):
    morrow = world.person(world.police, "Jake", "Morrow", "P-31")
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor,
            offering,
            walk_in("Jake", "Morrow", {"agency_id": world.police["id"]}, employee_id="P-99"),
        )
    )
    assert body["person_id"] != morrow["id"]
    assert (body["matched_by"], body["created_person"]) == (None, True)


def test_a_merged_record_is_not_matched_by_name_its_survivor_is(world):
    survivor = world.person(world.police, "Jake", "Morrow", "P-31")
    duplicate = world.person(world.police, "Jake", "Morrow", None)
    merged = world.police_coordinator.post(
        f"/people/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]}
    )
    assert merged.status_code == 200, merged.get_json()
    offering = fire_offering(world)
    body = created(
        add(
            world.instructor, offering, walk_in("Jake", "Morrow", {"agency_id": world.police["id"]})
        )
    )
    assert (body["person_id"], body["matched_by"]) == (survivor["id"], "name")


@pytest.fixture
def server(app, world, tmp_path):
    running = Server(app.config["DATABASE_URL"], tmp_path / "gunicorn.log")
    yield running
    running.stop()


def test_identical_name_only_walk_ins_at_once_create_one_person(world, server):
    offering = fire_offering(world)
    path = f"/offerings/{offering['id']}/roster"
    new_agency = {"agency": {"name": "Millbrook PD", "kind": "law", "state": "Illinois"}}
    calls = [("POST", path, world.instructor.token, walk_in("Eve", "Fox", new_agency), None)] * 12
    answers = server.at_once(calls)
    assert collections.Counter(status for status, _ in answers) == {201: 1, 200: 11}, (
        answers[:3],
        server.log(),
    )
    assert len({body["person_id"] for _, body in answers}) == 1
    assert len({body["agency_id"] for _, body in answers}) == 1
    assert sorted((b["created_person"], b["created_agency"]) for _, b in answers)[-1] == (
        True,
        True,
    )
    assert len(people_named(world, "Fox")) == 1
    assert len(roster_of(world, offering)) == 1


# --- agencies named at the door ---------------------------------------------------------


def test_millbrook_pd_illinois_is_millbrook_police_department_il(world):
    offering = fire_offering(world)
    agencies = len(world.admin.get("/agencies").get_json())
    first = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Dana",
                "Kerr",
                {"agency": {"name": "Millbrook PD", "kind": "law", "state": "Illinois"}},
            ),
        )
    )
    second = created(
        add(
            world.instructor,
            offering,
            walk_in(
                "Luis",
                "Ortega",
                {"agency": {"name": "Millbrook Police Department", "kind": "law", "state": "IL"}},
            ),
        )
    )
    assert (first["created_agency"], second["created_agency"]) == (True, False)
    assert second["agency_id"] == first["agency_id"]
    assert len(world.admin.get("/agencies").get_json()) == agencies + 1


@pytest.mark.parametrize(
    ("on_file", "at_door"),
    [
        ("Lake County Sheriff's Office", "Lake County SO"),
        ("Oak Park FD", "Oak Park Fire Department"),
        ("Cass County EMS", "Cass County Emergency Medical Services"),
        ("Elm Fire Rescue", "Elm Fire & Rescue"),
    ],
)
def test_an_agency_is_found_across_the_usual_abbreviations(world, on_file, at_door):
    offering = fire_offering(world)
    first = created(
        add(
            world.instructor,
            offering,
            walk_in("Ann", "Lund", {"agency": {"name": on_file, "kind": "other", "state": "IL"}}),
        )
    )
    second = created(
        add(
            world.instructor,
            offering,
            walk_in("Ben", "Lund", {"agency": {"name": at_door, "kind": "other", "state": "ill."}}),
        )
    )
    assert (second["agency_id"], second["created_agency"]) == (first["agency_id"], False)


# --- every match is recorded ------------------------------------------------------------


def test_the_roster_entry_audit_keeps_how_the_door_matched(world):
    offering = fire_offering(world)
    body = created(add(world.instructor, offering, {"person": world.at_door(world.officer_person)}))
    [entry] = trail(world, "roster_entry", body["entry"]["id"])
    assert (
        entry["user_email"],
        entry["after"]["matched_by"],
        entry["after"]["created_person"],
        entry["after"]["walk_in"],
    ) == ("ana@rfd.test", "employee_id", False, True)
    assert entry["after"]["matched_at"]


# --- the home coordinator reviews and undoes door matches ---------------------------------


def door_matches(caller, agency, query=""):
    return caller.get(f"/agencies/{agency['id']}/door-matches{query}")


def test_the_home_coordinator_lists_its_people_matched_and_created_at_other_doors(world):
    offering = fire_offering(world)
    matched = created(
        add(world.instructor, offering, {"person": world.at_door(world.officer_person)})
    )
    new = created(
        add(world.instructor, offering, walk_in("Nia", "Hale", {"agency_id": world.police["id"]}))
    )
    # the police coordinator adding its own officer by id at its own door is no door match
    created(add(world.admin, offering, {"person_id": world.instructor_person["id"]}))
    response = door_matches(world.police_coordinator, world.police)
    assert response.status_code == 200
    listed = response.get_json()
    assert [
        (m["id"], m["person_id"], m["matched_by"], m["created_person"], m["matched_by_user_email"])
        for m in listed
    ] == [
        (new["entry"]["id"], new["person_id"], None, True, "ana@rfd.test"),
        (matched["entry"]["id"], world.officer_person["id"], "employee_id", False, "ana@rfd.test"),
    ]
    first = listed[1]
    assert (
        first["offering_id"],
        first["course_title"],
        first["host_agency_id"],
        first["host_agency_name"],
        first["first_name"],
        first["last_name"],
        first["status"],
        first["corrected_at"],
    ) == (
        offering["id"],
        "Joint Rescue",
        world.fire["id"],
        "Riverton Fire Department",
        "Sean",
        "O'Brien",
        "enrolled",
        None,
    )
    assert first["matched_at"].endswith("+00:00")
    assert [
        m["id"]
        for m in door_matches(world.police_coordinator, world.police, "?kind=created").get_json()
    ] == [new["entry"]["id"]]
    assert door_matches(world.admin, world.police).get_json() == listed
    # the host's own people and other agencies' coordinators see none of it
    assert door_matches(world.fire_coordinator, world.fire).get_json() == []
    for caller in (world.fire_coordinator, world.ems_coordinator, world.instructor, world.officer):
        assert door_matches(caller, world.police).status_code == 404
        assert caller.get(f"/door-matches/{new['entry']['id']}").status_code == 404
        undo = caller.post(f"/door-matches/{new['entry']['id']}/undo", json={"reason": "x"})
        assert undo.status_code == 404


def test_undoing_a_wrong_match_moves_the_entry_and_its_attendance_to_the_right_person(world):
    twin = world.person(world.police, "Sean", "O'Brien", "P-8")
    offering = fire_offering(world)
    matched = created(
        add(world.instructor, offering, {"person": world.at_door(world.officer_person)})
    )
    session = offering["sessions"][0]["id"]
    sheet = [{"person_id": world.officer_person["id"], "session_id": session, "minutes": 300}]
    assert (
        world.instructor.put(f"/offerings/{offering['id']}/attendance", json=sheet).status_code
        == 200
    )
    entry_id = matched["entry"]["id"]
    undo = world.police_coordinator.post(
        f"/door-matches/{entry_id}/undo",
        json={"person_id": twin["id"], "reason": "Badge of the other Sean O'Brien."},
    )
    assert undo.status_code == 200, undo.get_json()
    assert (undo.get_json()["person_id"], undo.get_json()["status"]) == (twin["id"], "enrolled")
    assert undo.get_json()["corrected_at"]
    roster = world.admin.get(f"/offerings/{offering['id']}/roster").get_json()
    assert [(e["id"], e["person_id"]) for e in roster] == [(entry_id, twin["id"])]
    rows = world.admin.get(f"/offerings/{offering['id']}/attendance").get_json()["people"]
    assert [(row["person_id"], row["total_minutes"]) for row in rows] == [(twin["id"], 300)]
    history = trail(world, "roster_entry", entry_id)
    assert [(e["action"], e["user_email"], e["reason"]) for e in history][-1] == (
        "undo_door_match",
        "pc@rpd.test",
        "Badge of the other Sean O'Brien.",
    )
    assert (history[-1]["before"]["person"], history[-1]["after"]["person"]) == (
        world.officer_person["id"],
        twin["id"],
    )
    again = world.police_coordinator.post(
        f"/door-matches/{entry_id}/undo", json={"reason": "again"}
    )
    assert refused_409(again) == (
        "This door match was already undone; its roster entry is as corrected."
    )


def test_a_person_created_at_the_door_by_mistake_is_merged_into_the_right_one(world):
    offering = fire_offering(world)
    new = created(
        add(
            world.instructor,
            offering,
            walk_in("Shawn", "OBrian", {"agency_id": world.police["id"]}),
        )
    )
    undo = world.police_coordinator.post(
        f"/door-matches/{new['entry']['id']}/undo",
        json={"person_id": world.officer_person["id"], "reason": "Misspelt; it is Sean."},
    )
    assert undo.status_code == 200, undo.get_json()
    assert undo.get_json()["person_id"] == world.officer_person["id"]
    junk = world.police_coordinator.get(f"/people/{new['person_id']}").get_json()
    assert junk["merged_into_id"] == world.officer_person["id"]


def test_a_person_created_at_the_wrong_agencys_door_is_voided_and_the_entry_withdrawn(world):
    offering = fire_offering(world)
    new = created(
        add(
            world.instructor,
            offering,
            walk_in("Ida", "Stone", {"agency_id": world.police["id"]}, employee_id="X-1"),
        )
    )
    undo = world.police_coordinator.post(
        f"/door-matches/{new['entry']['id']}/undo", json={"reason": "Not one of ours."}
    )
    assert undo.status_code == 200, undo.get_json()
    assert (undo.get_json()["status"], undo.get_json()["person_id"]) == (
        "withdrawn",
        new["person_id"],
    )
    voided = world.police_coordinator.get(f"/people/{new['person_id']}").get_json()
    assert voided["voided_at"] and voided["employee_id"] is None
    assert new["person_id"] not in {
        p["id"] for p in world.police_coordinator.get("/people").get_json()
    }
    [void] = [e for e in trail(world, "person", new["person_id"]) if e["action"] == "void"]
    assert (void["user_email"], void["reason"], void["before"]["employee_id"]) == (
        "pc@rpd.test",
        "Not one of ours.",
        "X-1",
    )
    # the voided record matches nobody: the same details at the door make a new person
    again = created(
        add(
            world.instructor,
            fire_offering(world),
            walk_in("Ida", "Stone", {"agency_id": world.police["id"]}, employee_id="X-1"),
        )
    )
    assert (again["created_person"], again["person_id"] != new["person_id"]) == (True, True)


def test_a_door_match_is_not_undone_once_the_class_is_closed(world):
    offering = fire_offering(world)
    matched = created(
        add(world.instructor, offering, {"person": world.at_door(world.officer_person)})
    )
    assert world.admin.post(f"/offerings/{offering['id']}/close").status_code == 200
    undo = world.police_coordinator.post(
        f"/door-matches/{matched['entry']['id']}/undo", json={"reason": "wrong Sean"}
    )
    assert "closed" in refused_409(undo)
    assert (
        door_matches(world.police_coordinator, world.police).get_json()[0]["corrected_at"] is None
    )


def test_an_undo_needs_a_reason_and_a_person_of_the_coordinators_agency(world):
    medic = world.person(world.ems, "Mia", "Chen", "E-42")
    offering = fire_offering(world)
    matched = created(
        add(world.instructor, offering, {"person": world.at_door(world.officer_person)})
    )
    url = f"/door-matches/{matched['entry']['id']}/undo"
    missing = world.police_coordinator.post(url, json={})
    assert missing.status_code == 422
    assert missing.get_json()["errors"]["json"] == {"reason": ["Missing data for required field."]}
    other_agency = world.police_coordinator.post(
        url, json={"person_id": medic["id"], "reason": "x"}
    )
    assert other_agency.status_code == 404
    same = world.police_coordinator.post(
        url, json={"person_id": world.officer_person["id"], "reason": "x"}
    )
    assert same.status_code == 422
    assert same.get_json()["errors"]["json"] == {
        "person_id": ["Give the person the walk-in really was, not the one matched."]
    }
