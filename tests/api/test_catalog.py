"""/catalog: the open classes an agency may join, with its own seats left."""

import pytest

from tests.helpers import OpenClass, assert_error, created, trail


@pytest.fixture
def hazmat(world):
    return OpenClass(world)


def entries(caller, query=""):
    response = caller.get(f"/catalog{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_partners_see_the_class_with_host_course_local_sessions_and_their_seats(world, hazmat):
    (police_view,) = entries(world.police_coordinator)
    assert police_view["id"] == hazmat.offering["id"]
    assert police_view["host"]["code"] == "RFD"
    assert police_view["course"]["title"] == "Hazardous Materials Operations"
    assert police_view["course"]["kind"] == "class"
    assert police_view["course"]["hours"] == "16.00"
    assert police_view["course"]["credits"] == [{"category": "state_post", "hours": "16.00"}]
    assert [a["certification_name"] for a in police_view["course"]["awards"]] == [
        "Hazmat Operations"
    ]
    assert police_view["timezone"] == "America/Chicago"
    assert [(s["local_starts_at"], s["starts_at"]) for s in police_view["sessions"]] == [
        ("2027-03-20T08:00:00-05:00", "2027-03-20T13:00:00+00:00"),
        ("2027-03-21T08:00:00-05:00", "2027-03-21T13:00:00+00:00"),
    ]
    assert police_view["location"] == "Riverton Training Ground"
    assert (police_view["capacity"], police_view["seats_left"]) == (20, 20)
    assert police_view["reserved_seats_left"] == 5
    (ems_view,) = entries(hazmat.medic_user)  # an officer of a partner reads it too
    assert (ems_view["seats_left"], ems_view["reserved_seats_left"]) == (15, 0)


def test_an_agency_that_is_no_partner_sees_nothing(world, hazmat):
    assert entries(hazmat.dispatch_coordinator) == []
    assert_error(hazmat.dispatch_coordinator.get(f"/catalog/{hazmat.offering['id']}"), 404)


def test_a_host_only_class_stays_with_the_host_and_all_opens_it_to_everyone(world, hazmat):
    fire = world.fire_coordinator
    response = fire.patch(hazmat.path, json={"visibility": "host", "reserved_seats": []})
    assert response.status_code == 200, response.get_json()
    assert entries(world.police_coordinator) == []
    assert len(entries(fire)) == 1
    response = fire.patch(hazmat.path, json={"visibility": "all"})
    assert response.status_code == 200, response.get_json()
    assert [e["id"] for e in entries(hazmat.dispatch_coordinator)] == [hazmat.offering["id"]]


def test_seats_left_follow_registrations(world, hazmat):
    police = hazmat.people(world.police, 6, "P")
    for person in police:
        assert hazmat.register(world.police_coordinator, person).status_code == 201
    assert entries(world.police_coordinator)[0]["seats_left"] == 14
    assert entries(world.ems_coordinator)[0]["seats_left"] == 14
    assert entries(world.ems_coordinator)[0]["reserved_seats_left"] == 0


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("?kind=class", True),
        ("?kind=drill", False),
        ("?credit_category=state_post", True),
        ("?credit_category=nccp_national", False),
        ("?starts_after=2027-03-01&starts_before=2027-04-01", True),
        ("?starts_after=2027-04-01", False),
        ("?q=hazardous", True),
        ("?q=Training%20Ground", True),
        ("?q=wildland", False),
    ],
)
def test_filters_narrow_the_catalog(world, hazmat, query, found):
    assert bool(entries(world.police_coordinator, query)) is found


def test_filters_by_certification_and_host(world, hazmat):
    other = world.admin.post(
        "/certifications", json={"name": "EVOC", "issuing_body": "State", "validity_months": 24}
    ).get_json()
    police = world.police_coordinator
    assert len(entries(police, f"?certification_id={hazmat.cert['id']}")) == 1
    assert entries(police, f"?certification_id={other['id']}") == []
    assert len(entries(police, f"?host_agency_id={world.fire['id']}")) == 1
    assert entries(police, f"?host_agency_id={world.ems['id']}") == []


def test_the_catalog_is_paged_in_sql(world, hazmat):
    fire = world.fire_coordinator
    for day in ("2027-04-01", "2027-04-02"):
        body = {
            "course_id": hazmat.course["id"],
            "visibility": "partners",
            "sessions": [
                {"starts_at": f"{day}T08:00:00-05:00", "ends_at": f"{day}T12:00:00-05:00"}
            ],
        }
        created(fire.post("/offerings", json=body))
    response = world.police_coordinator.get("/catalog?page=2&page_size=2")
    assert response.status_code == 200
    assert [s["local_starts_at"][:10] for e in response.get_json() for s in e["sessions"]] == [
        "2027-04-02"
    ]
    assert '"total": 3' in response.headers["X-Pagination"]


def test_past_and_closed_classes_leave_the_catalog(world, hazmat):
    body = {
        "course_id": hazmat.course["id"],
        "visibility": "all",
        "sessions": [
            {"starts_at": "2026-01-05T08:00:00-06:00", "ends_at": "2026-01-05T12:00:00-06:00"}
        ],
    }
    past = created(world.fire_coordinator.post("/offerings", json=body))
    assert [e["id"] for e in entries(world.police_coordinator)] == [hazmat.offering["id"]]
    assert past["visibility"] == "all"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": 4}, "reserved_seats"),
        ({"capacity": None}, "reserved_seats"),
        ({"reserved_seats": [{"agency_id": 999999, "seats": 2}]}, "reserved_seats"),
        ({"reserved_seats": [{"agency_id": 1, "seats": 0}]}, "reserved_seats"),
        ({"visibility": "everyone"}, "visibility"),
        ({"capacity": -3}, "capacity"),
    ],
)
def test_bad_seats_are_refused_naming_the_field(world, hazmat, change, field):
    body = assert_error(world.fire_coordinator.patch(hazmat.path, json=change), 422)
    assert field in body["errors"]["json"]


def test_seats_for_a_non_partner_are_refused(world, hazmat):
    change = {"reserved_seats": [{"agency_id": hazmat.dispatch["id"], "seats": 2}]}
    body = assert_error(world.fire_coordinator.patch(hazmat.path, json=change), 422)
    assert body["errors"]["json"]["reserved_seats"] == {
        "0": {
            "agency_id": [
                f"Agency {hazmat.dispatch['id']} may not join this offering (visibility partners)."
            ]
        }
    }


def test_seat_settings_are_shown_and_audited(world, hazmat):
    offering = world.fire_coordinator.get(hazmat.path).get_json()
    assert offering["reserved_seats"] == [{"agency_id": world.police["id"], "seats": 5}]
    assert (offering["capacity"], offering["visibility"], offering["waitlist"]) == (
        20,
        "partners",
        True,
    )
    response = world.fire_coordinator.patch(hazmat.path, json={"capacity": 24})
    assert response.get_json()["sequence"] == 1
    (created_entry, updated) = trail(world, "offering", hazmat.offering["id"])[-2:]
    assert updated["before"]["capacity"] == 20 and updated["after"]["capacity"] == 24
    assert updated["after"]["reserved_seats"] == [{"agency_id": world.police["id"], "seats": 5}]
