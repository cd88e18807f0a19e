"""An agency's compliance requirements: set by its coordinator, read by its people,
changed or deactivated but never deleted."""

import datetime
from decimal import Decimal

from models import AuditEntry, Requirement
from rules import clock
from tests.helpers import created, new_requirement


def hazmat_certification(world):
    return created(
        world.admin.post(
            "/certifications",
            json={
                "name": "Hazmat Operations",
                "issuing_body": "State Fire Marshal",
                "validity_months": 24,
            },
        )
    )


def forty_hours(world, **overrides):
    body = {
        "agency_id": world.fire["id"],
        "name": "Continuing education",
        "kind": "hours",
        "hours": "40",
        "period_months": 24,
        "category_hours": {"nccp_national": "20"},
    }
    body.update(overrides)
    return world.fire_coordinator.post("/requirements", json=body)


def written():
    return Requirement.select().count(), AuditEntry.select().count()


def error_fields(response):
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]["json"]


def without_times(body):
    return {k: v for k, v in body.items() if k not in ("created_at", "updated_at")}


def test_forty_hours_per_24_months_of_which_20_in_nccp_national(world):
    requirement = created(forty_hours(world))
    assert without_times(requirement) == {
        "id": requirement["id"],
        "agency_id": world.fire["id"],
        "name": "Continuing education",
        "kind": "hours",
        "hours": "40.00",
        "period_months": 24,
        "cycle_start": None,
        "category": None,
        "category_hours": {"nccp_national": "20.00"},
        "certification_id": None,
        "active": True,
    }
    assert requirement["created_at"].endswith("+00:00")
    assert (
        world.fire_coordinator.get(f"/requirements/{requirement['id']}").get_json() == requirement
    )
    trail = world.admin.get(f"/audit?entity=requirement&entity_id={requirement['id']}")
    [entry] = trail.get_json()
    assert (entry["action"], entry["user_email"], entry["agency_id"]) == (
        "create",
        "fc@rfd.test",
        world.fire["id"],
    )
    assert entry["after"]["category_hours"] == {"nccp_national": "20.00"}


def test_twelve_hours_a_year_of_dispatch(world):
    requirement = new_requirement(
        world.police_coordinator,
        world.police,
        name="Dispatch in-service",
        kind="hours",
        hours="12",
        period_months=12,
        cycle_start="2026-07-01",
        category="dispatch",
    )
    assert without_times(requirement) == {
        "id": requirement["id"],
        "agency_id": world.police["id"],
        "name": "Dispatch in-service",
        "kind": "hours",
        "hours": "12.00",
        "period_months": 12,
        "cycle_start": "2026-07-01",
        "category": "dispatch",
        "category_hours": {},
        "certification_id": None,
        "active": True,
    }


def test_hazmat_operations_must_stay_valid(world):
    cert = hazmat_certification(world)
    requirement = new_requirement(
        world.admin,
        world.fire,
        name="Hazmat Operations current",
        kind="certification",
        certification_id=cert["id"],
    )
    assert without_times(requirement) == {
        "id": requirement["id"],
        "agency_id": world.fire["id"],
        "name": "Hazmat Operations current",
        "kind": "certification",
        "hours": None,
        "period_months": None,
        "cycle_start": None,
        "category": None,
        "category_hours": {},
        "certification_id": cert["id"],
        "active": True,
    }


def test_requirement_errors_name_the_field(world):
    cert = hazmat_certification(world)
    before = written()
    assert error_fields(forty_hours(world, hours=None, period_months=None)) == {
        "hours": ["Required for an hours requirement."],
        "period_months": ["Required for an hours requirement."],
    }
    assert error_fields(forty_hours(world, hours="0", period_months=0)) == {
        "hours": ["Must be more than 0 and at most 10000.00."],
        "period_months": ["Must be 1 to 120 months."],
    }
    assert error_fields(forty_hours(world, category_hours={"nccp_national": "41"})) == {
        "category_hours": {"nccp_national": ["More than the requirement's hours."]}
    }
    assert error_fields(forty_hours(world, category_hours={"NCCP": "4"})) == {
        "category_hours": {"NCCP": {"key": ["Categories are lower_snake_case, e.g. state_post."]}}
    }
    assert error_fields(forty_hours(world, certification_id=cert["id"])) == {
        "certification_id": ["Only a certification requirement names one."]
    }
    assert error_fields(forty_hours(world, kind="training")) == {
        "kind": ["Must be one of: hours, certification."]
    }
    certification = {
        "agency_id": world.fire["id"],
        "name": "Hazmat current",
        "kind": "certification",
    }
    assert error_fields(world.fire_coordinator.post("/requirements", json=certification)) == {
        "certification_id": ["Required for a certification requirement."]
    }
    assert error_fields(
        world.fire_coordinator.post(
            "/requirements", json=dict(certification, certification_id=9999)
        )
    ) == {"certification_id": ["Unknown certification."]}
    assert error_fields(
        world.fire_coordinator.post(
            "/requirements",
            json=dict(certification, certification_id=cert["id"], hours="8", period_months=12),
        )
    ) == {
        "hours": ["Not used by a certification requirement."],
        "period_months": ["Not used by a certification requirement."],
    }
    assert error_fields(
        world.admin.post(
            "/requirements", json=dict(certification, agency_id=9999, certification_id=cert["id"])
        )
    ) == {"agency_id": ["Unknown agency."]}
    assert written() == before
    assert world.admin.get("/requirements").get_json() == []


def test_only_the_agencys_coordinator_or_an_admin_sets_its_requirements(world):
    before = written()
    assert forty_hours(world, agency_id=world.police["id"]).status_code == 403
    body = {
        "agency_id": world.police["id"],
        "name": "In-service",
        "kind": "hours",
        "hours": "24",
        "period_months": 12,
    }
    assert world.officer.post("/requirements", json=body).status_code == 403
    assert world.instructor.post("/requirements", json=body).status_code == 403
    assert world.anonymous.post("/requirements", json=body).status_code == 401
    assert written() == before
    assert world.admin.post("/requirements", json=body).status_code == 201


def test_people_read_their_own_agencys_requirements_and_an_admin_all(world):
    fire = created(forty_hours(world))
    police = new_requirement(
        world.police_coordinator,
        world.police,
        name="Annual in-service",
        kind="hours",
        hours="24",
        period_months=12,
    )
    assert [r["id"] for r in world.officer.get("/requirements").get_json()] == [police["id"]]
    assert [r["id"] for r in world.instructor.get("/requirements").get_json()] == [fire["id"]]
    assert world.officer.get(f"/requirements/{police['id']}").status_code == 200
    assert world.officer.get(f"/requirements/{fire['id']}").status_code == 404
    assert world.ems_coordinator.get(f"/requirements/{fire['id']}").status_code == 404
    assert world.ems_coordinator.get("/requirements").get_json() == []
    assert world.officer.get(f"/requirements?agency_id={world.fire['id']}").get_json() == []
    assert [r["id"] for r in world.admin.get("/requirements").get_json()] == [
        police["id"],
        fire["id"],
    ]
    listed = world.admin.get(f"/requirements?agency_id={world.fire['id']}&kind=hours")
    assert [r["id"] for r in listed.get_json()] == [fire["id"]]
    assert listed.headers["X-Pagination"]


def test_a_requirement_is_changed_and_deactivated_but_never_deleted(world):
    requirement = created(forty_hours(world))
    path = f"/requirements/{requirement['id']}"
    response = world.fire_coordinator.patch(
        path,
        json={
            "hours": "48",
            "category_hours": {"nccp_national": "24", "iso_hazmat": "6"},
            "cycle_start": "2026-01-01",
        },
    )
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert (
        changed["hours"],
        changed["category_hours"],
        changed["cycle_start"],
        changed["period_months"],
    ) == ("48.00", {"iso_hazmat": "6.00", "nccp_national": "24.00"}, "2026-01-01", 24)
    response = world.fire_coordinator.patch(path, json={"active": False})
    assert response.get_json()["active"] is False
    assert response.get_json()["hours"] == "48.00"
    assert world.fire_coordinator.delete(path).status_code == 405
    assert [r["id"] for r in world.admin.get("/requirements?active=false").get_json()] == [
        requirement["id"]
    ]
    assert world.admin.get("/requirements?active=true").get_json() == []
    trail = world.admin.get(f"/audit?entity=requirement&entity_id={requirement['id']}")
    entries = trail.get_json()
    assert [e["action"] for e in entries] == ["create", "update", "update"]
    assert (Decimal(entries[1]["before"]["hours"]), Decimal(entries[1]["after"]["hours"])) == (
        40,
        48,
    )
    assert (entries[2]["before"]["active"], entries[2]["after"]["active"]) == (True, False)
    assert Requirement.select().count() == 1


def test_a_change_is_checked_against_the_whole_requirement(world):
    cert = hazmat_certification(world)
    hours = created(forty_hours(world))
    certification = new_requirement(
        world.fire_coordinator,
        world.fire,
        name="Hazmat current",
        kind="certification",
        certification_id=cert["id"],
    )
    before = written()
    path = f"/requirements/{hours['id']}"
    assert error_fields(world.fire_coordinator.patch(path, json={"hours": "10"})) == {
        "category_hours": {"nccp_national": ["More than the requirement's hours."]}
    }
    assert error_fields(world.fire_coordinator.patch(path, json={"period_months": None})) == {
        "period_months": ["Required for an hours requirement."]
    }
    assert error_fields(world.fire_coordinator.patch(path, json={"kind": "certification"})) == {
        "kind": ["Unknown field."]
    }
    assert error_fields(
        world.fire_coordinator.patch(f"/requirements/{certification['id']}", json={"hours": "8"})
    ) == {"hours": ["Not used by a certification requirement."]}
    assert world.fire_coordinator.patch(path, json={"name": ""}).status_code == 422
    assert world.officer.patch(path, json={"active": False}).status_code == 404
    assert world.instructor.patch(path, json={"active": False}).status_code == 403
    assert world.police_coordinator.patch(path, json={"active": False}).status_code == 404
    assert written() == before
    assert world.admin.get(path).get_json() == hours


def test_approved_outside_training_counts_toward_the_home_agencys_requirements(world, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda timezone=None: datetime.date(2026, 6, 30))
    requirement = new_requirement(
        world.police_coordinator,
        world.police,
        name="Dispatch in-service",
        kind="hours",
        hours="12",
        period_months=12,
        category="dispatch",
    )
    path = f"/people/{world.officer_person['id']}/compliance"

    def dispatch_standing():
        [status] = world.officer.get(path).get_json()["requirements"]
        assert status["requirement_id"] == requirement["id"]
        return status["compliant"], status["earned"], status["short_by"]

    assert dispatch_standing() == (False, "0.00", "12.00")
    submission = created(
        world.officer.post(
            "/submissions",
            json={
                "title": "Emergency Medical Dispatch",
                "provider": "County 911 Academy",
                "completed_on": "2026-03-10",
                "hours": "16",
                "credits": [{"category": "dispatch", "hours": "12"}],
            },
        )
    )
    assert dispatch_standing() == (False, "0.00", "12.00")  # pending counts for nothing
    assert (
        world.police_coordinator.post(
            f"/submissions/{submission['id']}/approve", json={}
        ).status_code
        == 200
    )
    assert dispatch_standing() == (True, "12.00", "0.00")
    world.police_coordinator.patch(f"/requirements/{requirement['id']}", json={"active": False})
    assert world.officer.get(path).get_json()["requirements"] == []
