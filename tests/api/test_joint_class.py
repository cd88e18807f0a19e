"""The headline: a joint hazmat class hosted by the fire department, with a police officer
and EMS walk-ins (some already known, one from an ambulance service nobody has entered
yet), its roster, its attendance by minutes and by check-in/out, and who may do what."""

import pytest

from tests.helpers import (
    created,
)

DAY = {"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T16:00:00-06:00"}


# the night drill spans the spring-forward change: 22:00 CST to 06:00 CDT is 7 real hours
NIGHT = {"starts_at": "2026-03-07T22:00:00-06:00", "ends_at": "2026-03-08T06:00:00-05:00"}


class JointClass:
    def __init__(self, world):
        self.world = world
        course = created(
            world.fire_coordinator.post(
                "/courses",
                json={
                    "code": "HZ-OPS",
                    "title": "Hazardous Materials Operations",
                    "host_agency_id": world.fire["id"],
                    "hours": "15",
                },
            )
        )
        self.offering = created(
            world.fire_coordinator.post(
                "/offerings",
                json={
                    "course_id": course["id"],
                    "location": "Riverton Training Center",
                    "instructor_ids": [world.instructor_person["id"]],
                    "sessions": [DAY, NIGHT],
                },
            )
        )
        self.id = self.offering["id"]
        self.day, self.night = (s["id"] for s in self.offering["sessions"])
        self.roster_url = f"/offerings/{self.id}/roster"
        self.attendance_url = f"/offerings/{self.id}/attendance"
        # EMS people the county already keeps in Muster
        self.medic = world.person(world.ems, "Mia", "Chen", "E-42")
        self.emt = world.person(
            world.ems, "Raj", "Patel", "E-43", external_ids={"nremt": "NR-5150"}
        )
        self.driver = world.person(world.ems, "Lena", "Holm", "E-44", email="lena.holm@cems.test")

    def roster(self, caller=None):
        response = (caller or self.world.admin).get(self.roster_url)
        assert response.status_code == 200
        return response.get_json()

    def sheet(self, caller=None):
        response = (caller or self.world.admin).get(self.attendance_url)
        assert response.status_code == 200
        return response.get_json()

    def state(self):
        """Everything a bad request must leave alone."""
        admin = self.world.admin
        return (
            self.roster(),
            self.sheet(),
            admin.get("/people?page_size=1000").get_json(),
            admin.get("/agencies").get_json(),
            admin.get("/audit?page_size=1000").get_json(),
        )


@pytest.fixture
def joint(world):
    return JointClass(world)


def walk_in(joint, person, caller=None):
    return (caller or joint.world.instructor).post(joint.roster_url, json={"person": person})


def fill_roster(joint):
    """The instructor's morning at the door; returns {name: person_id}."""
    world = joint.world
    officer = created(walk_in(joint, world.at_door(world.officer_person)))
    by_employee_id = created(
        walk_in(
            joint,
            {
                "first_name": "Mia",
                "last_name": "Chen",
                "employee_id": "E-42",
                "agency_id": world.ems["id"],
            },
        )
    )
    by_regulator_id = created(
        walk_in(
            joint,
            {
                "first_name": "Raj",
                "last_name": "Patel",
                "external_ids": {"nremt": "NR-5150"},
                "agency": {"name": "County EMS", "kind": "ems", "state": "IL"},
            },
        )
    )
    by_email = created(
        walk_in(
            joint,
            {
                "first_name": "Lena",
                "last_name": "Holm",
                "email": "Lena.Holm@CEMS.test",
                "agency_id": world.ems["id"],
            },
        )
    )
    newcomer = created(
        walk_in(
            joint,
            {
                "first_name": "Tess",
                "last_name": "Okafor",
                "employee_id": "TCA-9",
                "email": "tess@tricounty.test",
                "external_ids": {"nremt": "NR-7777"},
                "agency": {"name": "Tri-County Ambulance", "kind": "ems", "state": "IL"},
            },
        )
    )
    return {
        "officer": officer,
        "medic": by_employee_id,
        "emt": by_regulator_id,
        "driver": by_email,
        "newcomer": newcomer,
    }


def test_a_joint_class_rosters_police_and_ems_walk_ins_and_credits_their_attendance(joint):
    world = joint.world
    assert [s["minutes"] for s in joint.offering["sessions"]] == [480, 420]
    people_before = len(world.admin.get("/people?page_size=1000").get_json())
    added = fill_roster(joint)

    # who each walk-in turned out to be
    outcome = {
        name: (
            body["person_id"],
            body["matched_by"],
            body["created_person"],
            body["created_agency"],
        )
        for name, body in added.items()
    }
    newcomer_id = added["newcomer"]["person_id"]
    assert outcome == {
        "officer": (world.officer_person["id"], "employee_id", False, False),
        "medic": (joint.medic["id"], "employee_id", False, False),
        "emt": (joint.emt["id"], "external_ids.nremt", False, False),
        "driver": (joint.driver["id"], "email", False, False),
        "newcomer": (newcomer_id, None, True, True),
    }
    assert len(world.admin.get("/people?page_size=1000").get_json()) == people_before + 1
    ambulance = world.admin.get(f"/agencies/{added['newcomer']['agency_id']}").get_json()
    assert (
        ambulance["name"],
        ambulance["code"],
        ambulance["kind"],
        ambulance["state"],
        ambulance["timezone"],
        ambulance["verified"],
    ) == ("Tri-County Ambulance", "TRI-COUNTY-AMBULANCE", "ems", "IL", "America/Chicago", False)

    # the same walk-in entered again by the coordinator: nobody new, already on the roster
    again = walk_in(
        joint,
        {
            "first_name": "Tess",
            "last_name": "Okafor",
            "employee_id": "TCA-9",
            "agency": {"name": "tri-county ambulance", "kind": "ems", "state": "IL"},
        },
        caller=world.fire_coordinator,
    )
    assert again.status_code == 200
    assert (
        again.get_json()["person_id"],
        again.get_json()["matched_by"],
        again.get_json()["created_person"],
        again.get_json()["created_agency"],
    ) == (newcomer_id, "employee_id", False, False)
    assert len(world.admin.get("/agencies").get_json()) == 4

    # the roster, as the instructor sees it
    roster = joint.roster(world.instructor)
    assert [
        (e["person"]["last_name"], e["person"]["agency_name"], e["walk_in"], e["status"])
        for e in roster
    ] == [
        ("Chen", "County EMS", True, "enrolled"),
        ("Holm", "County EMS", True, "enrolled"),
        ("O'Brien", "Riverton Police Department", True, "enrolled"),
        ("Okafor", "Tri-County Ambulance", True, "enrolled"),
        ("Patel", "County EMS", True, "enrolled"),
    ]
    # rostering is how the instructor comes to see people of other agencies
    visible = {p["id"] for p in world.instructor.get("/people").get_json()}
    assert visible == {world.instructor_person["id"]} | {e["person_id"] for e in roster}

    # attendance: the day by minutes, the night drill by check-in and check-out
    ids = {name: body["person_id"] for name, body in added.items()}
    day = [
        {"person_id": ids[name], "session_id": joint.day, "minutes": minutes}
        for name, minutes in (
            ("officer", 480),
            ("medic", 480),
            ("emt", 450),
            ("driver", 240),
            ("newcomer", 480),
        )
    ]
    night = [
        {
            "person_id": ids["officer"],
            "session_id": joint.night,
            "check_in": "2026-03-07T21:50:00-06:00",
            "check_out": "2026-03-08T06:10:00-05:00",
        },
        {
            "person_id": ids["medic"],
            "session_id": joint.night,
            "check_in": "2026-03-07T23:30:00-06:00",
            "check_out": "2026-03-08T03:30:00-05:00",
        },
        {
            "person_id": ids["newcomer"],
            "session_id": joint.night,
            "check_in": "2026-03-08T04:00:00Z",
            "check_out": "2026-03-08T11:00:00Z",
        },
    ]
    response = world.instructor.put(joint.attendance_url, json=day)
    assert response.status_code == 200
    assert response.get_json()["created"] == 5
    response = world.instructor.put(joint.attendance_url, json=night)
    assert [row["minutes"] for row in response.get_json()["rows"]] == [420, 180, 420]

    sheet = joint.sheet(world.instructor)
    totals = {
        p["person_name"]: (p["total_minutes"], p["total_hours"], len(p["sessions"]))
        for p in sheet["people"]
    }
    assert totals == {
        "Mia Chen": (660, "11.00", 2),
        "Lena Holm": (240, "4.00", 1),
        "Sean O'Brien": (900, "15.00", 2),
        "Tess Okafor": (900, "15.00", 2),
        "Raj Patel": (450, "7.50", 1),
    }
    assert [s["minutes"] for s in sheet["sessions"]] == [480, 420]

    # the tablet lost its connection and sends both batches again: same state, no audit
    audit_count = len(world.admin.get("/audit?entity=offering_attendance").get_json())
    for batch in (day, night):
        response = world.instructor.put(joint.attendance_url, json=batch)
        assert response.get_json()["unchanged"] == len(batch)
    assert joint.sheet(world.instructor) == sheet
    assert len(world.admin.get("/audit?entity=offering_attendance").get_json()) == audit_count

    # the coordinator corrects one row; only that row changes
    response = world.fire_coordinator.put(
        joint.attendance_url,
        json=[{"person_id": ids["driver"], "session_id": joint.day, "minutes": 300}],
    )
    assert (response.get_json()["updated"], response.get_json()["created"]) == (1, 0)
    corrected = {p["person_name"]: p["total_hours"] for p in joint.sheet()["people"]}
    assert corrected["Lena Holm"] == "5.00" and corrected["Raj Patel"] == "7.50"


def test_the_audit_trail_shows_who_rostered_created_and_recorded_what(joint):
    world = joint.world
    added = fill_roster(joint)
    world.instructor.put(
        joint.attendance_url,
        json=[
            {"person_id": added["newcomer"]["person_id"], "session_id": joint.day, "minutes": 480}
        ],
    )
    world.fire_coordinator.put(
        joint.attendance_url,
        json=[
            {"person_id": added["newcomer"]["person_id"], "session_id": joint.day, "minutes": 470}
        ],
    )

    def trail(entity, entity_id):
        response = world.admin.get(f"/audit?entity={entity}&entity_id={entity_id}")
        assert response.status_code == 200
        return response.get_json()

    [agency] = trail("agency", added["newcomer"]["agency_id"])
    assert (
        agency["action"],
        agency["user_email"],
        agency["after"]["name"],
        agency["after"]["verified"],
        agency["reason"],
    ) == (
        "create",
        "ana@rfd.test",
        "Tri-County Ambulance",
        False,
        f"Walk-in at offering {joint.id}; not yet verified.",
    )
    [person] = trail("person", added["newcomer"]["person_id"])
    assert (person["action"], person["user_email"], person["after"]["email"]) == (
        "create",
        "ana@rfd.test",
        "tess@tricounty.test",
    )
    for name, matched_by in (
        ("officer", "employee_id"),
        ("medic", "employee_id"),
        ("emt", "external_ids.nremt"),
        ("driver", "email"),
    ):
        [entry] = trail("roster_entry", added[name]["entry"]["id"])
        assert (
            entry["action"],
            entry["user_email"],
            entry["after"]["person"],
            entry["after"]["matched_by"],
        ) == ("create", "ana@rfd.test", added[name]["person_id"], matched_by)
    attendance = trail("offering_attendance", joint.id)
    assert [(e["action"], e["user_email"], e["agency_id"]) for e in attendance] == [
        ("update", "ana@rfd.test", world.fire["id"]),
        ("update", "fc@rfd.test", world.fire["id"]),
    ]
    assert attendance[1]["before"]["rows"][0]["minutes"] == 480
    assert attendance[1]["after"]["rows"][0]["minutes"] == 470
    # the host coordinator reads its offering's trail; the police coordinator does not
    assert (
        len(
            world.fire_coordinator.get(
                f"/audit?entity=offering_attendance&entity_id={joint.id}"
            ).get_json()
        )
        == 2
    )
    assert (
        world.police_coordinator.get(
            f"/audit?entity=offering_attendance&entity_id={joint.id}"
        ).get_json()
        == []
    )


def test_everyone_outside_the_class_is_refused_and_nothing_is_written(joint):
    world = joint.world
    stranger = world.person(world.police, "Tom", "Kale", "P-9")
    other_instructor = world.user("instructor", world.police, "tom@rpd.test", stranger)
    created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": joint.offering["course_id"],
                "instructor_ids": [stranger["id"]],
                "sessions": [
                    {
                        "starts_at": "2026-04-01T08:00:00-05:00",
                        "ends_at": "2026-04-01T12:00:00-05:00",
                    }
                ],
            },
        )
    )
    fill_roster(joint)
    before = joint.state()
    officer_id = world.officer_person["id"]
    add_row = {"person_id": stranger["id"]}
    walk = {"person": {"first_name": "X", "last_name": "Y", "agency_id": world.police["id"]}}
    rows = [{"person_id": officer_id, "session_id": joint.day, "minutes": 10}]
    entry_id = before[0][0]["id"]
    refused = [
        (world.officer, 403),
        (world.police_coordinator, 403),
        (world.ems_coordinator, 403),
        (other_instructor, 403),
        (world.admin.as_(None), 401),
    ]
    for caller, status in refused:
        assert caller.get(joint.roster_url).status_code == status
        assert caller.get(f"{joint.roster_url}/{entry_id}").status_code == status
        assert caller.post(joint.roster_url, json=add_row).status_code == status
        assert caller.post(joint.roster_url, json=walk).status_code == status
        assert (
            caller.post(
                f"{joint.roster_url}/{entry_id}/withdraw", json={"reason": "not mine"}
            ).status_code
            == status
        )
        assert caller.get(joint.attendance_url).status_code == status
        assert caller.put(joint.attendance_url, json=rows).status_code == status
    bad_token = world.admin.as_("mst_not-a-token")
    assert bad_token.get(joint.roster_url).status_code == 401
    assert bad_token.put(joint.attendance_url, json=rows).status_code == 401
    assert joint.state() == before


def test_every_bad_input_gets_a_clear_answer_and_writes_nothing(joint):
    world = joint.world
    stranger = world.person(world.police, "Tom", "Kale", "P-9")
    added = fill_roster(joint)
    officer_id = added["officer"]["person_id"]
    world.instructor.put(
        joint.attendance_url,
        json=[{"person_id": officer_id, "session_id": joint.day, "minutes": 480}],
    )
    before = joint.state()
    ana, url = world.instructor, joint.roster_url
    cases = [
        (ana.post(url, json={}), 422, {"person_id": ["Give person_id, or person for a walk-in."]}),
        (
            ana.post(url, json={"person_id": 4040}),
            422,
            {
                "person_id": [
                    (
                        "Unknown person; add someone from another agency by their details "
                        "(person: {first_name, last_name, agency_id, employee_id, ...})."
                    )
                ]
            },
        ),
        (ana.post(url, json={"person_id": "abc"}), 422, {"person_id": ["Not a valid integer."]}),
        (
            ana.post(url, json={"person": {"first_name": "Al", "last_name": "Bo"}}),
            422,
            {
                "person": {
                    "agency_id": [
                        "Give agency_id, or agency {name, kind, state} for an agency not yet known."
                    ]
                }
            },
        ),
        (
            ana.post(
                url, json={"person": {"first_name": "Al", "last_name": "Bo", "agency_id": 4040}}
            ),
            422,
            {"person": {"agency_id": ["Unknown agency."]}},
        ),
        (
            ana.post(
                url,
                json={
                    "person": {
                        "last_name": "Bo",
                        "agency_id": world.ems["id"],
                        "email": "not-an-email",
                    }
                },
            ),
            422,
            {
                "person": {
                    "first_name": ["Missing data for required field."],
                    "email": ["Not a valid email address."],
                }
            },
        ),
        (
            ana.post(url, json={"person_id": officer_id, "role": "student"}),
            422,
            {"role": ["Unknown field."]},
        ),
        (
            ana.post(f"{url}/{added['officer']['entry']['id']}/withdraw", json={"reason": ""}),
            422,
            {"reason": ["Length must be between 3 and 2000."]},
        ),
        (
            ana.put(
                joint.attendance_url,
                json=[
                    {"person_id": officer_id, "session_id": joint.day, "minutes": 400},
                    {"person_id": officer_id, "session_id": joint.night, "minutes": 421},
                ],
            ),
            422,
            {"1": {"minutes": ["Longer than the session (420 minutes)."]}},
        ),
        (
            ana.put(
                joint.attendance_url,
                json=[
                    {
                        "person_id": world.instructor_person["id"],
                        "session_id": joint.day,
                        "minutes": 60,
                    }
                ],
            ),
            422,
            {"0": {"person_id": ["Not on the roster of this offering."]}},
        ),
        (
            ana.put(
                joint.attendance_url,
                json=[
                    {
                        "person_id": officer_id,
                        "session_id": joint.night,
                        "check_in": "2026-03-08T07:00:00-05:00",
                        "check_out": "2026-03-08T09:00:00-05:00",
                    }
                ],
            ),
            422,
            {
                "0": {
                    "check_in": [
                        "Does not overlap the session "
                        "(2026-03-08T04:00:00Z to 2026-03-08T11:00:00Z)."
                    ]
                }
            },
        ),
        (
            ana.put(
                joint.attendance_url,
                json=[{"person_id": officer_id, "session_id": joint.day, "minutes": "all day"}],
            ),
            422,
            {"0": {"minutes": ["Not a valid integer."]}},
        ),
    ]
    for response, status, errors in cases:
        assert response.status_code == status, response.get_json()
        assert response.get_json()["errors"]["json"] == errors
    # someone the instructor may not see: the same answer as an id nobody has
    assert (
        ana.post(url, json={"person_id": stranger["id"]}).get_json()
        == ana.post(url, json={"person_id": 4040}).get_json()
    )
    assert ana.post("/offerings/4040/roster", json={"person_id": officer_id}).status_code == 404
    assert ana.put("/offerings/4040/attendance", json=[]).status_code == 404
    assert ana.post(f"{url}/4040/withdraw", json={"reason": "gone"}).status_code == 404
    response = ana.put(joint.attendance_url, data="not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert joint.state() == before


def test_once_closed_the_class_roster_and_attendance_are_locked(joint):
    world = joint.world
    added = fill_roster(joint)
    officer_id = added["officer"]["person_id"]
    world.instructor.put(
        joint.attendance_url,
        json=[{"person_id": officer_id, "session_id": joint.day, "minutes": 480}],
    )
    assert world.instructor.post(f"/offerings/{joint.id}/close").status_code == 200
    roster, sheet = joint.roster(world.instructor), joint.sheet(world.instructor)
    for response in (
        world.instructor.post(joint.roster_url, json={"person_id": joint.medic["id"]}),
        walk_in(joint, {"first_name": "Late", "last_name": "Comer", "agency_id": world.ems["id"]}),
        world.admin.post(
            f"{joint.roster_url}/{added['officer']['entry']['id']}/withdraw",
            json={"reason": "too late"},
        ),
        world.fire_coordinator.put(
            joint.attendance_url,
            json=[{"person_id": officer_id, "session_id": joint.day, "minutes": 1}],
        ),
    ):
        assert response.status_code == 409
        assert "closed" in response.get_json()["message"]
    assert (joint.roster(world.instructor), joint.sheet(world.instructor)) == (roster, sheet)
