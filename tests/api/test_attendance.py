"""Attendance: minutes per person and session, written in all-or-nothing idempotent batches."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import add, created, fire_offering, trail

TWO_DAYS = [
    {"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T16:00:00-06:00"},
    {"starts_at": "2026-03-09T08:00:00-05:00", "ends_at": "2026-03-09T16:00:00-05:00"},
]


NO_TIMES = {
    "check_in": None,
    "check_out": None,
    "check_in_local": None,
    "check_out_local": None,
    "open": False,
}

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
                **NO_TIMES,
            },
            {
                "person_id": joint.officer,
                "session_id": second,
                "minutes": 450,
                **NO_TIMES,
            },
            {
                "person_id": joint.medic,
                "session_id": first,
                "minutes": 0,
                **NO_TIMES,
            },
        ],
    }
    sheet = joint.sheet()
    assert (sheet["offering_id"], sheet["timezone"]) == (joint.id, "America/Chicago")
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
            "sessions": [{"session_id": first, "minutes": 0, **NO_TIMES}],
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
                {"session_id": first, "minutes": 480, **NO_TIMES},
                {"session_id": second, "minutes": 450, **NO_TIMES},
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
    times = {
        "check_in": "2026-03-07T13:45:00+00:00",
        "check_out": "2026-03-07T18:15:00+00:00",
        "check_in_local": "2026-03-07T07:45:00-06:00",
        "check_out_local": "2026-03-07T12:15:00-06:00",
        "open": False,
    }
    assert response.get_json()["rows"] == [
        {"person_id": joint.medic, "session_id": first, "minutes": 255, **times}
    ]
    medic = joint.people()[joint.medic]
    assert (medic["total_minutes"], medic["total_hours"]) == (255, "4.25")
    assert medic["sessions"] == [{"session_id": first, "minutes": 255, **times}]


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
        {"session_id": first, "minutes": 420, **NO_TIMES}
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
                "check_out": "2026-03-07T09:00:00-06:00",
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
        "6": {"check_in": ["Required with check_out."]},
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
                "check_in": "2026-03-07 at eight",
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


def _at(moment):
    return moment.isoformat()


def _now():
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _span(start, hours):
    return {"starts_at": _at(start), "ends_at": _at(start + datetime.timedelta(hours=hours))}


def test_attendance_for_a_session_that_has_not_started_is_refused(world):
    later = Class(world, sessions=[_span(_now() + datetime.timedelta(days=18), 8)])
    created(add(world.admin, later.offering, {"person_id": later.officer}))
    [session] = later.sessions
    starts = later.offering["sessions"][0]["starts_at"]
    local = (
        datetime.datetime.fromisoformat(starts)
        .astimezone(ZoneInfo("America/Chicago"))
        .isoformat(timespec="minutes")
    )
    refusal = [
        f"This session has not started yet (it starts {local} America/Chicago); "
        "record attendance once it has."
    ]
    response = later.put(
        [
            {"person_id": later.officer, "session_id": session, "minutes": 480},
            {"person_id": later.medic, "session_id": session, "check_in": _at(_now())},
        ]
    )
    assert response.status_code == 422
    assert response.get_json()["message"] == (
        "2 rows of the batch are invalid; nothing was recorded."
    )
    assert response.get_json()["errors"]["json"] == {
        "0": {"session_id": refusal},
        "1": {"session_id": refusal},
    }
    assert all(p["sessions"] == [] for p in later.sheet()["people"])
    assert trail(world, "offering_attendance", later.id) == []


@pytest.fixture
def running(world):
    """A class whose one session started two hours ago and runs six more."""
    running = Class(world, sessions=[_span(_now() - datetime.timedelta(hours=2), 8)])
    created(add(world.admin, running.offering, {"person_id": running.officer}))
    return running


def test_time_that_has_not_passed_yet_is_never_credited(running):
    [session] = running.sessions
    response = running.put([{"person_id": running.officer, "session_id": session, "minutes": 300}])
    assert response.status_code == 422
    [message] = response.get_json()["errors"]["json"]["0"]["minutes"]
    assert message in {f"More than the {n} minutes the session has run so far." for n in (120, 121)}
    check_out = _now() + datetime.timedelta(hours=3)
    response = running.put(
        [
            {
                "person_id": running.officer,
                "session_id": session,
                "check_in": _at(_now() - datetime.timedelta(hours=1)),
                "check_out": _at(check_out),
            }
        ]
    )
    assert response.status_code == 422
    [message] = response.get_json()["errors"]["json"]["0"]["check_out"]
    assert message.startswith("Is in the future (it is now ")
    assert message.endswith(" America/Chicago); record it once it has happened.")
    assert running.people()[running.officer]["sessions"] == []
    response = running.put([{"person_id": running.officer, "session_id": session, "minutes": 90}])
    assert response.status_code == 200, response.get_json()


def test_a_check_in_alone_is_an_open_stay_until_a_check_out_closes_it(running, world):
    [session] = running.sessions
    check_in = _now() - datetime.timedelta(minutes=90)
    response = running.put(
        [{"person_id": running.officer, "session_id": session, "check_in": _at(check_in)}]
    )
    assert response.status_code == 200, response.get_json()
    [row] = response.get_json()["rows"]
    stored_in = check_in.replace(tzinfo=None).isoformat() + "+00:00"
    assert row == {
        "person_id": running.officer,
        "session_id": session,
        "minutes": 0,
        "check_in": stored_in,
        "check_out": None,
        "check_in_local": check_in.astimezone(ZoneInfo("America/Chicago")).isoformat(),
        "check_out_local": None,
        "open": True,
    }
    officer = running.people()[running.officer]
    assert (officer["total_minutes"], officer["sessions"][0]["open"]) == (0, True)
    stays = world.instructor.get(running.url + "/open-stays").get_json()
    assert [(s["person_id"], s["person_name"], s["session_id"]) for s in stays] == [
        (running.officer, "Sean O'Brien", session)
    ]
    # a check-out sent alone closes the stay it follows
    check_out = _now() - datetime.timedelta(minutes=30)
    response = running.put(
        [{"person_id": running.officer, "session_id": session, "check_out": _at(check_out)}]
    )
    assert response.status_code == 200, response.get_json()
    [row] = response.get_json()["rows"]
    assert (row["minutes"], row["check_in"], row["open"]) == (60, stored_in, False)
    assert (response.get_json()["created"], response.get_json()["updated"]) == (0, 1)
    assert world.instructor.get(running.url + "/open-stays").get_json() == []


def test_open_stays_block_closing_until_the_instructor_closes_each(joint, world):
    first, second = joint.sessions
    response = joint.put(
        [
            {"person_id": joint.officer, "session_id": first, "check_in": "2026-03-07T09:00"},
            {"person_id": joint.medic, "session_id": first, "check_in": "2026-03-07T10:00"},
            {"person_id": joint.medic, "session_id": second, "minutes": 480},
        ]
    )
    assert response.status_code == 200, response.get_json()
    assert [r["minutes"] for r in response.get_json()["rows"]] == [0, 0, 480]
    response = world.instructor.post(f"/offerings/{joint.id}/close")
    assert response.status_code == 409
    message = response.get_json()["message"]
    assert message.startswith("2 stays are still open (checked in, never checked out): ")
    for name, person in (("Sean O'Brien", joint.officer), ("Mia Chen", joint.medic)):
        assert f"{name} (person {person}), session {first} starting 2026-03-07T08:00:00-06:00" in (
            message
        )
    assert joint.world.admin.get(f"/offerings/{joint.id}").get_json()["status"] == "scheduled"
    assert world.admin.get(f"/attempts?offering_id={joint.id}").get_json() == []
    url = joint.url + "/open-stays/close"
    # a pair that is not an open stay closes nothing
    response = world.instructor.post(
        url,
        json={
            "stays": [
                {"person_id": joint.officer, "session_id": first},
                {"person_id": joint.medic, "session_id": second},
            ]
        },
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "1": {"session_id": ["This person has no open stay at this session."]}
    }
    assert len(world.instructor.get(joint.url + "/open-stays").get_json()) == 2
    # the officer's stay alone, to the session's end at 16:00
    response = world.instructor.post(
        url, json={"stays": [{"person_id": joint.officer, "session_id": first}]}
    )
    assert response.status_code == 200, response.get_json()
    [row] = response.get_json()["rows"]
    assert (row["minutes"], row["check_out"], row["check_out_local"], row["open"]) == (
        420,
        "2026-03-07T22:00:00+00:00",
        "2026-03-07T16:00:00-06:00",
        False,
    )
    # then every open stay left in the class
    response = world.instructor.post(url, json={})
    assert [(r["person_id"], r["minutes"]) for r in response.get_json()["rows"]] == [
        (joint.medic, 360)
    ]
    assert world.instructor.post(f"/offerings/{joint.id}/close").status_code == 200
    history = trail(world, "offering_attendance", joint.id)
    assert [e["user_email"] for e in history] == ["ana@rfd.test"] * 4


def test_an_open_stay_of_a_session_still_running_cannot_close_at_its_end(running, world):
    [session] = running.sessions
    running.put([{"person_id": running.officer, "session_id": session, "check_in": _at(_now())}])
    response = world.instructor.post(running.url + "/open-stays/close", json={})
    assert response.status_code == 409
    assert "close this stay at its end once it has ended" in response.get_json()["message"]
    assert len(world.instructor.get(running.url + "/open-stays").get_json()) == 1


def test_times_without_an_offset_are_the_host_agencys_local_time(joint):
    first, _ = joint.sessions
    response = joint.put(
        [
            {
                "person_id": joint.officer,
                "session_id": first,
                "check_in": "2026-03-07T08:00:00",
                "check_out": "2026-03-07T12:30:00",
            }
        ]
    )
    assert response.status_code == 200, response.get_json()
    [row] = response.get_json()["rows"]
    assert {k: row[k] for k in ("minutes", "check_in", "check_out")} == {
        "minutes": 270,
        "check_in": "2026-03-07T14:00:00+00:00",
        "check_out": "2026-03-07T18:30:00+00:00",
    }
    assert (row["check_in_local"], row["check_out_local"]) == (
        "2026-03-07T08:00:00-06:00",
        "2026-03-07T12:30:00-06:00",
    )


def test_a_local_time_the_clock_change_skipped_or_repeated_needs_its_offset(world):
    night = Class(world, sessions=DST_NIGHT)
    [session] = night.sessions
    response = night.put(
        [
            {
                "person_id": night.medic,
                "session_id": session,
                "check_in": "2026-03-08T02:30:00",
                "check_out": "2026-03-08T05:00:00",
            }
        ]
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"] == {
        "0": {
            "check_in": [
                "2026-03-08T02:30 did not happen in America/Chicago (the clocks went "
                "forward); give the time with its offset."
            ]
        }
    }
    fall = Class(
        world,
        sessions=[
            {"starts_at": "2026-11-01T00:00:00-05:00", "ends_at": "2026-11-01T06:00:00-06:00"}
        ],
    )
    response = fall.put(
        [
            {
                "person_id": fall.medic,
                "session_id": fall.sessions[0],
                "check_in": "2026-11-01T00:30:00",
                "check_out": "2026-11-01T01:30:00",
            }
        ]
    )
    assert response.get_json()["errors"]["json"] == {
        "0": {
            "check_out": [
                "2026-11-01T01:30 happened twice in America/Chicago (the clocks went back); "
                "give the time with its offset (-05:00 or -06:00)."
            ]
        }
    }
