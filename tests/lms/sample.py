"""Plain record rows for the lms tests: a police, a fire and an EMS agency training together."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

AGENCIES = {
    "PD": {"id": 1, "name": "Riverton Police Department", "url": "https://police.riverton.example"},
    "FD": {"id": 2, "name": "Riverton Fire Rescue", "url": "https://fire.riverton.example"},
    "EMS": {"id": 3, "name": "County EMS", "url": None},
}


def row(n: int = 1, **changes) -> dict:
    """One completion of person `n`, homed at PD, at a class FD hosted; `changes` override."""
    home, host = AGENCIES["PD"], AGENCIES["FD"]
    issued = datetime(2026, 3, 14, 22, 30, tzinfo=UTC) + timedelta(minutes=n)
    data = {
        "record_kind": "completion",
        "record_id": n,
        "source": "muster",
        "provider": host["name"],
        "status": "valid",
        "revoked_at": None,
        "revoked_reason": None,
        "issued_at": issued,
        "changed_at": issued,
        "person_id": 100 + n,
        "first_name": "Dana",
        "last_name": f"Ortiz-Núñez {n}",
        "email": f"Dana.Ortiz{n}@Police.Riverton.example",
        "employee_id": f"E{n:05d}",
        "external_ids": {"state_post": f"P{n:06d}", "license": f"PM{n:05d}"},
        "home_agency_id": home["id"],
        "home_agency_name": home["name"],
        "home_agency_code": "PD",
        "home_agency_url": home["url"],
        "host_agency_id": host["id"],
        "host_agency_name": host["name"],
        "host_agency_code": "FD",
        "host_agency_url": host["url"],
        "host_agency_timezone": "America/Chicago",
        "course_id": 30,
        "course_code": "HAZ-101",
        "course_title": "Hazardous materials, awareness",
        "course_kind": "class",
        "course_hours": Decimal("8.00"),
        "course_external_ids": {"state_course_number": "1040", "capce": "C-77"},
        "offering_id": 40,
        "started_on": date(2026, 3, 13),
        "completed_on": date(2026, 3, 14),
        "hours": Decimal("7.50"),
        "credits": [
            {"category": "Hazmat", "hours": Decimal("5.00")},
            {"category": "Legal", "hours": Decimal("2.50")},
        ],
        "passed": True,
        "score": Decimal("92.5"),
        "partial": False,
        "instructors": [{"person_id": 7, "name": "Kim Lee"}],
        "verify_code": f"V{n:07d}",
        "verify_url": f"https://muster.example/verify/V{n:07d}",
    }
    data.update(changes)
    return data


def award(n: int = 1, **changes) -> dict:
    """An award earned at the same class: a certification with an expiry."""
    fields = {
        "record_kind": "award",
        "certification_id": 5,
        "certification_name": "Hazmat Awareness",
        "certification_code": "HZA",
        "issuing_body": "State Fire Marshal",
        "award_number": f"FD-2026-{n:04d}",
        "expires_on": date(2028, 3, 14),
    }
    return row(n, **{**fields, **changes})


def rows(count: int, start: int = 1):
    """A lazy stream of rows, as the endpoint reads them with `.iterator()`."""
    return (row(n) for n in range(start, start + count))
