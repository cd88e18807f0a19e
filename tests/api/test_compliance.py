"""Compliance and expiring certifications, as each home coordinator reads them."""

import datetime
import json

from tests.helpers import new_requirement


def police_requirements(world, hazmat, hours, national):
    """The police's two requirements (in-service hours every 24 months, `national` of them
    NCCP national; Hazmat Operations current); their coordinator, who set them."""
    police = world.police_coordinator
    new_requirement(
        police,
        world.police,
        name="Biennial in-service",
        kind="hours",
        hours=hours,
        period_months=24,
        category_hours={"nccp_national": national},
    )
    new_requirement(
        police,
        world.police,
        name="Hazmat Operations current",
        kind="certification",
        certification_id=hazmat.cert["id"],
    )
    return police


def test_compliance_shows_who_is_short_by_how_much_and_by_when(hazmat, world, calendar):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    rookie = world.person(world.police, "Dana", "Ueda", "P-9")
    police = police_requirements(world, hazmat, hours="40", national="20")

    mine = world.officer.get(f"/people/{officer}/compliance").get_json()
    hours, cert = mine["requirements"]
    assert mine["compliant"] is False
    assert (
        hours["required"],
        hours["earned"],
        hours["short_by"],
        hours["due_by"],
        hours["by_category"],
    ) == (
        "40.00",
        "16.00",
        "24.00",
        "2027-12-31",
        [{"category": "nccp_national", "required": "20.00", "earned": "8.00", "short_by": "12.00"}],
    )
    assert (cert["compliant"], cert["status"], cert["due_by"]) == (True, "valid", "2028-04-30")

    report = police.get(f"/agencies/{world.police['id']}/compliance?status=short").get_json()
    assert [(p["person_name"], p["compliant"]) for p in report] == [
        ("Sean O'Brien", False),
        ("Dana Ueda", False),
    ]
    rookie_cert = report[1]["requirements"][1]
    assert (rookie_cert["status"], rookie_cert["due_by"]) == ("missing", "2026-07-01")
    assert report[1]["requirements"][0]["short_by"] == "40.00"
    assert (
        world.fire_coordinator.get(f"/agencies/{world.police['id']}/compliance").status_code == 403
    )
    assert world.officer.get(f"/people/{rookie['id']}/compliance").status_code == 404


def test_expiring_lists_soonest_first_and_drops_renewed_certifications(hazmat, world, calendar):
    officer, medic = world.officer_person["id"], hazmat.medic["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    partner = world.person(world.police, "Kai", "Lindqvist", "P-12")
    hazmat.schedule(
        [
            {"starts_at": "2026-06-06T08:00:00-05:00", "ends_at": "2026-06-06T16:00:00-05:00"},
            {"starts_at": "2026-06-07T08:00:00-05:00", "ends_at": "2026-06-07T16:00:00-05:00"},
        ]
    )
    hazmat.attend(
        {partner["id"]: [480, 480], medic: [480, 480]}, {partner["id"]: True, medic: True}
    )
    hazmat.close()
    police = world.police_coordinator
    calendar(datetime.date(2028, 5, 2))
    rows = police.get(f"/agencies/{world.police['id']}/expiring?within_days=60").get_json()
    assert [(r["person_name"], r["expires_on"], r["days_left"], r["status"]) for r in rows] == [
        ("Sean O'Brien", "2028-04-30", -2, "expired"),
        ("Kai Lindqvist", "2028-06-30", 59, "valid"),
    ]
    rows = police.get(
        f"/agencies/{world.police['id']}/expiring?within_days=30&include_expired=false"
    ).get_json()
    assert rows == []
    assert police.get(f"/agencies/{world.ems['id']}/expiring").status_code == 403


def test_an_agency_with_nothing_to_check_says_so_and_never_compliant(world, calendar):
    officer = world.officer_person["id"]
    rookie = world.person(world.police, "Dana", "Ueda", "P-9")
    police = world.police_coordinator
    for reader in (police, world.officer):
        body = reader.get(f"/people/{officer}/compliance").get_json()
        assert (body["status"], body["compliant"], body["requirements"]) == (
            "no_requirements",
            False,
            [],
        )
    rows = police.get(f"/agencies/{world.police['id']}/compliance").get_json()
    assert sorted((r["person_id"], r["status"], r["compliant"]) for r in rows) == [
        (officer, "no_requirements", False),
        (rookie["id"], "no_requirements", False),
    ]
    path = f"/agencies/{world.police['id']}/compliance?status="
    assert police.get(path + "compliant").get_json() == []
    assert len(police.get(path + "no_requirements").get_json()) == 2


def test_a_deactivated_requirement_leaves_nothing_to_check(world, calendar):
    officer = world.officer_person["id"]
    police = world.police_coordinator
    requirement = new_requirement(
        police, world.police, name="Annual in-service", kind="hours", hours="24", period_months=12
    )
    body = police.get(f"/people/{officer}/compliance").get_json()
    assert (body["status"], body["compliant"]) == ("not_compliant", False)
    response = police.patch(f"/requirements/{requirement['id']}", json={"active": False})
    assert response.status_code == 200, response.get_json()
    body = police.get(f"/people/{officer}/compliance").get_json()
    assert (body["status"], body["compliant"], body["requirements"]) == (
        "no_requirements",
        False,
        [],
    )


def test_each_status_filter_pages_exactly_the_people_the_whole_report_gives_that_status(
    hazmat, world, calendar
):
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    for n in range(4):
        world.person(world.police, "Dana", f"Ueda{n}", f"P-9{n}")
    police = police_requirements(world, hazmat, hours="16", national="8")
    path = f"/agencies/{world.police['id']}/compliance"
    everyone = police.get(f"{path}?page_size=100").get_json()
    assert [p["status"] for p in everyone].count("compliant") == 1
    assert [p["status"] for p in everyone].count("not_compliant") == 4
    for person in everyone:
        own = world.admin.get(f"/people/{person['person_id']}/compliance").get_json()
        assert own == person
    for status, standing in [
        ("short", "not_compliant"),
        ("compliant", "compliant"),
        ("not_compliant", "not_compliant"),
        ("no_requirements", "no_requirements"),
    ]:
        pages, page = [], 1
        while True:
            response = police.get(f"{path}?status={status}&page_size=2&page={page}")
            assert response.status_code == 200, response.get_json()
            pages += response.get_json()
            if page >= json.loads(response.headers["X-Pagination"]).get("last_page", 1):
                break
            page += 1
        assert pages == [p for p in everyone if p["status"] == standing], status


def test_a_status_filter_sums_each_cycle_as_the_persons_own_report_does(world, calendar):
    """Hours requirements without categories are summed per person and cycle by the
    database for a filtered report: the same sums as each record counted one by one (days
    at each cycle's edges, a revoked record, hours in hundredths)."""
    police = world.police_coordinator
    for name, hours, months, start in [
        ("Annual", "8", 12, "2025-07-01"),  # now 2026-07-01 .. 2027-06-30
        ("Biennial", "9.5", 24, None),  # now 2026-01-01 .. 2027-12-31
        ("Also biennial", "1", 24, None),
    ]:
        body = {"name": name, "kind": "hours", "hours": hours, "period_months": months}
        new_requirement(police, world.police, **body, **({"cycle_start": start} if start else {}))
    people = [world.officer_person] + [
        world.person(world.police, "Dana", f"Ueda{n}", f"P-9{n}") for n in range(4)
    ]
    records = {  # person: [(day, hours)]
        0: [("2026-07-01", "7.25"), ("2026-07-01", "0.75"), ("2026-01-01", "1.5")],
        1: [("2026-06-30", "9.5"), ("2026-07-01", "0.75"), ("2025-12-31", "40")],
        2: [("2026-07-01", "8"), ("2026-03-10", "1.49")],  # a hundredth short
        4: [("2026-07-01", "8"), ("2026-03-10", "1.5")],
        3: [("2026-07-01", "8.01"), ("2026-02-02", "1.5")],
    }
    for index, rows in records.items():
        for day, hours in rows:
            body = {"title": "Range day", "provider": "County", "completed_on": day}
            body.update(person_id=people[index]["id"], hours=hours, credits=[])
            submission = world.admin.post("/submissions", json=body).get_json()
            path = f"/submissions/{submission['id']}/approve"
            assert world.admin.post(path, json={}).status_code == 200
    [revoked] = [
        c
        for c in world.admin.get(f"/completions?person_id={people[3]['id']}").get_json()
        if c["hours"] == "8.01"
    ]
    response = police.post(f"/completions/{revoked['id']}/revoke", json={"reason": "Twice"})
    assert response.status_code == 200, response.get_json()
    path = f"/agencies/{world.police['id']}/compliance"
    everyone = police.get(f"{path}?page_size=100").get_json()
    assert sorted(p["status"] for p in everyone) == ["compliant"] * 2 + ["not_compliant"] * 3
    for status, standing in [("short", "not_compliant"), ("compliant", "compliant")]:
        listed = police.get(f"{path}?status={status}&page_size=100").get_json()
        assert listed == [p for p in everyone if p["status"] == standing], status
