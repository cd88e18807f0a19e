"""Attendance: minutes per person and session, written in all-or-nothing idempotent batches."""

import pytest

from tests.helpers import add, created, fire_offering, trail

TWO_DAYS = [
    {"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T16:00:00-06:00"},
    {"starts_at": "2026-03-09T08:00:00-05:00", "ends_at": "2026-03-09T16:00:00-05:00"},
]


# the night the clocks spring forward: 00:00 CST to 06:00 CDT is 5 real hours
DST_NIGHT = [{"starts_at": "2026-03-08T00:00:00-06:00", "ends_at": "2026-03-08T06:00:00-05:00"}]


class Class:
    """A fire offering with the police officer and an EMS walk-in on its roster."""

    def __init__(self, world, sessions=TWO_DAYS):
        self.world = world
        self.offering = fire_offering(world, sessions=sessions)
        self.id = self.offering["id"]
        self.sessions = [s["id"] for s in self.offering["sessions"]]
        self.officer = world.officer_person["id"]
        self.medic = created(
            add(
                world.instructor,
                self.offering,
                {
                    "person": {
                        "first_name": "Mia",
                        "last_name": "Chen",
                        "agency_id": world.ems["id"],
                    }
                },
            )
        )["person_id"]
        self.url = f"/offerings/{self.id}/attendance"

    def put(self, rows, caller=None):
        return (caller or self.world.instructor).put(self.url, json=rows)

    def sheet(self, caller=None, query=""):
        response = (caller or self.world.admin).get(self.url + query)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def people(self):
        return {p["person_id"]: p for p in self.sheet()["people"]}


@pytest.fixture
def joint(world):
    joint = Class(world)
    # the admin, who sees everyone, rosters the officer ahead of class by id: not a walk-in
    created(add(world.admin, joint.offering, {"person_id": joint.officer}))
    return joint


def test_minutes_are_recorded_and_totalled_per_person(joint):
    first, second = joint.sessions
    response = joint.put(
        [
            {"person_id": joint.officer, "session_id": first, "minutes": 480},
            {"person_id": joint.officer, "session_id": second, "minutes": 450},
            {"person_id": joint.medic, "session_id": first, "minutes": 0},
        ]
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "received": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rows": [
            {
                "person_id": joint.officer,
                "session_id": first,
                "minutes": 480,
                "check_in": None,
                "check_out": None,
            },
            {
                "person_id": joint.officer,
                "session_id": second,
                "minutes": 450,
                "check_in": None,
                "check_out": None,
            },
            {
                "person_id": joint.medic,
                "session_id": first,
                "minutes": 0,
                "check_in": None,
                "check_out": None,
            },
        ],
    }
    sheet = joint.sheet()
    assert sheet["offering_id"] == joint.id
    assert sheet["sessions"] == [
        {
            "id": first,
            "starts_at": "2026-03-07T14:00:00+00:00",
            "ends_at": "2026-03-07T22:00:00+00:00",
            "minutes": 480,
        },
        {
            "id": second,
            "starts_at": "2026-03-09T13:00:00+00:00",
            "ends_at": "2026-03-09T21:00:00+00:00",
            "minutes": 480,
        },
    ]
    assert sheet["people"] == [
        {
            "person_id": joint.medic,
            "person_name": "Mia Chen",
            "agency_id": joint.world.ems["id"],
            "agency_name": "County EMS",
            "roster_status": "enrolled",
            "walk_in": True,
            "total_minutes": 0,
            "total_hours": "0.00",
            "sessions": [{"session_id": first, "minutes": 0, "check_in": None, "check_out": None}],
        },
        {
            "person_id": joint.officer,
            "person_name": "Sean O'Brien",
            "agency_id": joint.world.police["id"],
            "agency_name": "Riverton Police Department",
            "roster_status": "enrolled",
            "walk_in": False,
            "total_minutes": 930,
            "total_hours": "15.50",
            "sessions": [
                {"session_id": first, "minutes": 480, "check_in": None, "check_out": None},
                {"session_id": second, "minutes": 450, "check_in": None, "check_out": None},
            ],
        },
    ]


def test_check_in_and_out_credit_the_time_inside_the_session(joint):
    first, _ = joint.sessions
    response = joint.put(
        [
            {
                "person_id": joint.medic,
                "session_id": first,
                "check_in": "2026-03-07T07:45:00-06:00",
                "check_out": "2026-03-07T12:15:00-06:00",
            }
        ]
    )
    assert response.get_json()["rows"] == [
        {
            "person_id": joint.medic,
            "session_id": first,
            "minutes": 255,
            "check_in": "2026-03-07T13:45:00+00:00",
            "check_out": "2026-03-07T18:15:00+00:00",
        }
    ]
    medic = joint.people()[joint.medic]
    assert (medic["total_minutes"], medic["total_hours"]) == (255, "4.25")
    assert medic["sessions"] == [
        {
            "session_id": first,
            "minutes": 255,
            "check_in": "2026-03-07T13:45:00+00:00",
            "check_out": "2026-03-07T18:15:00+00:00",
        }
    ]


def test_a_session_across_the_daylight_saving_change_credits_real_minutes(world):
    night = Class(world, sessions=DST_NIGHT)
    [session] = night.sessions
    assert night.offering["sessions"][0]["minutes"] == 300
    response = night.put(
        [
            {
                "person_id": night.medic,
                "session_id": session,
                "check_in": "2026-03-08T01:30:00-06:00",
                "check_out": "2026-03-08T03:30:00-05:00",
            }
        ]
    )
    assert response.status_code == 200, response.get_json()
    assert night.people()[night.medic]["total_minutes"] == 60
    response = night.put([{"person_id": night.medic, "session_id": session, "minutes": 360}])
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "0": {"minutes": ["Longer than the session (300 minutes)."]}
    }
    assert (
        night.put([{"person_id": night.medic, "session_id": session, "minutes": 300}]).status_code
        == 200
    )
    assert night.people()[night.medic]["total_hours"] == "5.00"


def test_the_same_attendance_batch_sent_twice_gives_the_same_state(joint):
    first, second = joint.sessions
    batch = [
        {"person_id": joint.officer, "session_id": first, "minutes": 480},
        {
            "person_id": joint.medic,
            "session_id": second,
            "check_in": "2026-03-09T08:05:00-05:00",
            "check_out": "2026-03-09T16:00:00-05:00",
        },
    ]
    assert joint.put(batch).status_code == 200
    state = joint.sheet()
    again = joint.put(batch)
    assert again.status_code == 200
    assert {k: again.get_json()[k] for k in ("received", "created", "updated", "unchanged")} == {
        "received": 2,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }
    assert joint.sheet() == state
    # one entry per home agency of the first batch, none for the repeat
    assert len(trail(joint.world, "offering_attendance", joint.id)) == 2


def test_a_corrected_row_replaces_the_old_one_and_the_audit_keeps_both(joint):
    first, _ = joint.sessions
    joint.put(
        [
            {
                "person_id": joint.officer,
                "session_id": first,
                "check_in": "2026-03-07T08:00:00-06:00",
                "check_out": "2026-03-07T12:00:00-06:00",
            }
        ]
    )
    response = joint.put(
        [{"person_id": joint.officer, "session_id": first, "minutes": 420}],
        caller=joint.world.fire_coordinator,
    )
    assert {k: response.get_json()[k] for k in ("created", "updated", "unchanged")} == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
    }
    assert joint.people()[joint.officer]["sessions"] == [
        {"session_id": first, "minutes": 420, "check_in": None, "check_out": None}
    ]
    history = trail(joint.world, "offering_attendance", joint.id)
    assert [(e["action"], e["user_email"]) for e in history] == [
        ("update", "ana@rfd.test"),
        ("update", "fc@rfd.test"),
    ]
    assert history[0]["before"] is None
    assert history[0]["after"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rows": [
            {
                "person_id": joint.officer,
                "session_id": first,
                "minutes": 240,
                "check_in": "2026-03-07T14:00:00",
                "check_out": "2026-03-07T18:00:00",
            }
        ],
    }
    assert history[1]["before"] == {
        "rows": [
            {
                "person_id": joint.officer,
                "session_id": first,
                "minutes": 240,
                "check_in": "2026-03-07T14:00:00",
                "check_out": "2026-03-07T18:00:00",
            }
        ]
    }
    assert history[1]["after"]["rows"] == [
        {
            "person_id": joint.officer,
            "session_id": first,
            "minutes": 420,
            "check_in": None,
            "check_out": None,
        }
    ]


def test_a_batch_with_one_bad_row_changes_nothing(joint):
    first, second = joint.sessions
    joint.put([{"person_id": joint.officer, "session_id": first, "minutes": 300}])
    state = joint.sheet()
    response = joint.put(
        [
            {"person_id": joint.officer, "session_id": first, "minutes": 480},
            {"person_id": joint.officer, "session_id": second, "minutes": 480},
            {"person_id": joint.medic, "session_id": first, "minutes": 480},
            {"person_id": joint.medic, "session_id": second, "minutes": 481},
        ]
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "1 row of the batch is invalid; nothing was recorded."
    assert body["errors"]["json"] == {"3": {"minutes": ["Longer than the session (480 minutes)."]}}
    assert joint.sheet() == state
    assert len(trail(joint.world, "offering_attendance", joint.id)) == 1


def test_every_bad_row_is_named_by_its_index_and_field(joint, world):
    first, second = joint.sessions
    elsewhere = fire_offering(world)["sessions"][0]["id"]
    stranger = world.instructor_person["id"]
    response = joint.put(
        [
            {"person_id": stranger, "session_id": first, "minutes": 10},
            {"person_id": joint.officer, "session_id": elsewhere, "minutes": 10},
            {
                "person_id": joint.officer,
                "session_id": first,
                "minutes": 10,
                "check_in": "2026-03-07T08:00:00-06:00",
                "check_out": "2026-03-07T09:00:00-06:00",
            },
            {"person_id": joint.officer, "session_id": second},
            {
                "person_id": joint.medic,
                "session_id": first,
                "check_in": "2026-03-07T09:00:00-06:00",
                "check_out": "2026-03-07T08:00:00-06:00",
            },
            {
                "person_id": joint.medic,
                "session_id": second,
                "check_in": "2026-03-07T09:00:00-06:00",
                "check_out": "2026-03-07T10:00:00-06:00",
            },
            {
                "person_id": joint.medic,
                "session_id": first,
                "check_in": "2026-03-07T09:00:00-06:00",
            },
            {"person_id": joint.officer, "session_id": first, "minutes": 60},
            {"person_id": joint.officer, "session_id": first, "minutes": 60},
        ]
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "0": {"person_id": ["Not on the roster of this offering."]},
        "1": {"session_id": ["Not a session of this offering."]},
        "2": {"minutes": ["Give minutes or check_in and check_out, not both."]},
        "3": {"minutes": ["Give minutes, or check_in and check_out."]},
        "4": {"check_out": ["Must be after check_in."]},
        "5": {
            "check_in": [
                "Does not overlap the session (2026-03-09T13:00:00Z to 2026-03-09T21:00:00Z)."
            ]
        },
        "6": {"check_out": ["Required with check_in."]},
        "8": {"session_id": ["Row 7 already gives this person's attendance for this session."]},
    }
    assert all(p["sessions"] == [] for p in joint.sheet()["people"])


def test_malformed_rows_are_refused_by_index_before_anything_is_checked(joint):
    first, _ = joint.sessions
    response = joint.put(
        [
            {"person_id": joint.officer, "session_id": first, "minutes": -5},
            {"session_id": first, "minutes": 5},
            {
                "person_id": joint.medic,
                "session_id": first,
                "check_in": "2026-03-07T08:00:00",
                "check_out": "2026-03-07T09:00:00-06:00",
            },
            {"person_id": joint.medic, "session_id": first, "minutes": 5, "hours": 1},
        ]
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert errors["0"] == {"minutes": ["Must be 0 or more."]}
    assert errors["1"] == {"person_id": ["Missing data for required field."]}
    assert list(errors["2"]) == ["check_in"]
    assert errors["3"] == {"hours": ["Unknown field."]}
    response = joint.put({"person_id": joint.officer, "session_id": first, "minutes": 5})
    assert response.status_code == 422
    assert all(p["sessions"] == [] for p in joint.sheet()["people"])


def test_an_empty_batch_changes_nothing(joint):
    response = joint.put([])
    assert response.status_code == 200
    assert response.get_json() == {
        "received": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "rows": [],
    }
    assert trail(joint.world, "offering_attendance", joint.id) == []


def test_a_withdrawn_person_keeps_recorded_minutes_but_gets_no_new_ones(joint):
    first, second = joint.sessions
    joint.put([{"person_id": joint.medic, "session_id": first, "minutes": 480}])
    [entry] = [
        e
        for e in joint.world.admin.get(f"/offerings/{joint.id}/roster").get_json()
        if e["person_id"] == joint.medic
    ]
    joint.world.instructor.post(
        f"/offerings/{joint.id}/roster/{entry['id']}/withdraw",
        json={"reason": "Left at lunch on day one."},
    )
    response = joint.put([{"person_id": joint.medic, "session_id": second, "minutes": 480}])
    assert response.get_json()["errors"]["json"] == {
        "0": {"person_id": ["Is withdrawn from the roster; add them again first."]}
    }
    medic = joint.people()[joint.medic]
    assert (medic["roster_status"], medic["total_minutes"]) == ("withdrawn", 480)
    assert [p["person_id"] for p in joint.sheet(query="?roster_status=enrolled")["people"]] == [
        joint.officer
    ]


def test_attendance_of_a_closed_offering_is_locked_but_readable(joint):
    first, _ = joint.sessions
    joint.put([{"person_id": joint.officer, "session_id": first, "minutes": 480}])
    assert joint.world.admin.post(f"/offerings/{joint.id}/close").status_code == 200
    state = joint.sheet()
    response = joint.put([{"person_id": joint.officer, "session_id": first, "minutes": 400}])
    assert response.status_code == 409
    assert joint.sheet(caller=joint.world.instructor) == state


def test_only_those_running_the_offering_read_or_write_attendance(joint, world):
    first, _ = joint.sessions
    other_person = world.person(world.ems, "Ivo", "Dane", "E-1")
    other_instructor = world.user("instructor", world.ems, "ivo@cems.test", other_person)
    fire_offering(world, instructors=[other_person["id"]])
    rows = [{"person_id": joint.officer, "session_id": first, "minutes": 480}]
    for caller, status in (
        (world.officer, 403),
        (world.police_coordinator, 403),
        (other_instructor, 403),
        (world.admin.as_(None), 401),
    ):
        assert caller.get(joint.url).status_code == status
        assert joint.put(rows, caller=caller).status_code == status
    assert joint.people()[joint.officer]["sessions"] == []
    for caller in (world.instructor, world.fire_coordinator, world.admin):
        assert joint.put(rows, caller=caller).status_code == 200
        assert joint.sheet(caller=caller)["people"][1]["total_minutes"] == 480
    assert world.admin.get("/offerings/999/attendance").status_code == 404


def test_the_sheet_pages_people_by_last_name(joint):
    response = joint.world.admin.get(joint.url + "?page_size=1&page=2")
    assert response.status_code == 200
    assert [p["person_name"] for p in response.get_json()["people"]] == ["Sean O'Brien"]
    assert '"total": 2' in response.headers["X-Pagination"]
    assert len(response.get_json()["sessions"]) == 2
    only = joint.sheet(query=f"?person_id={joint.medic}")["people"]
    assert [p["person_id"] for p in only] == [joint.medic]


def test_a_batch_too_large_is_refused(joint):
    first, _ = joint.sessions
    rows = [{"person_id": joint.officer, "session_id": first, "minutes": 1}] * 10001
    response = joint.put(rows)
    assert response.status_code == 422
    assert response.get_json()["message"] == "A batch holds at most 10000 rows; send several."


def test_each_home_coordinator_reads_its_own_peoples_part_of_the_attendance_trail(joint):
    first, _ = joint.sessions
    assert (
        joint.put(
            [
                {"person_id": joint.officer, "session_id": first, "minutes": 480},
                {"person_id": joint.medic, "session_id": first, "minutes": 300},
            ]
        ).status_code
        == 200
    )
    world = joint.world
    path = f"/audit?entity=offering_attendance&entity_id={joint.id}"
    [police] = world.police_coordinator.get(path).get_json()
    assert [(row["person_id"], row["minutes"]) for row in police["after"]["rows"]] == [
        (joint.officer, 480)
    ]
    assert len(world.fire_coordinator.get(path).get_json()) == 2
