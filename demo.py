"""Demo data: a fire department hosting a joint hazmat class for its neighbours.

`load()` writes everything through the models and rules in one transaction and returns
the lines `flask --app wsgi demo-data` prints: a fresh token per role and the ids to try.
It is idempotent: when the host agency's code already exists nothing is created again,
and only new tokens are issued for the demo users.
"""

import datetime
import zoneinfo

import audit
from auth import issue_token
from database import db
from models import (
    Agency,
    Certification,
    Course,
    CourseAward,
    CourseCredit,
    Offering,
    OfferingInstructor,
    Person,
    RosterEntry,
    Session,
    User,
    to_utc,
)
from operations.records import create_award
from rules.expiry import add_months, expires_on
from rules.people import create_person

HOST_CODE = "IL-RFD"
HOST_TIMEZONE = "America/Chicago"

AGENCIES = {
    "fire": {
        "name": "Riverton Fire Department",
        "code": HOST_CODE,
        "kind": "fire",
        "state": "IL",
        "timezone": HOST_TIMEZONE,
    },
    "police": {
        "name": "Riverton Police Department",
        "code": "IL-RPD",
        "kind": "law",
        "state": "IL",
        "timezone": HOST_TIMEZONE,
    },
    "ems": {
        "name": "Harlan County EMS",
        "code": "IL-HCEMS",
        "kind": "ems",
        "state": "IL",
        "timezone": HOST_TIMEZONE,
    },
    "dispatch": {
        "name": "Harlan County 911 Communications",
        "code": "IL-HC911",
        "kind": "dispatch",
        "state": "IL",
        "timezone": HOST_TIMEZONE,
    },
}

# (agency key, first, last, employee id, email, external ids)
PEOPLE = [
    (
        "fire",
        "Marcus",
        "Bell",
        "F-1021",
        "mbell@riverton-fire.example",
        {"state_fire_id": "SFM-20417"},
    ),
    (
        "fire",
        "Luis",
        "Ortega",
        "F-1107",
        "lortega@riverton-fire.example",
        {"state_fire_id": "SFM-22901"},
    ),
    ("fire", "Hannah", "Kowalski", "F-1133", "hkowalski@riverton-fire.example", {}),
    (
        "police",
        "Sean",
        "O'Brien",
        "P-0457",
        "sobrien@riverton-pd.example",
        {"state_post": "IL-55501"},
    ),
    (
        "police",
        "Keisha",
        "Moore",
        "P-0512",
        "kmoore@riverton-pd.example",
        {"state_post": "IL-55618"},
    ),
    (
        "police",
        "Tom",
        "Nguyen",
        "P-0530",
        "tnguyen@riverton-pd.example",
        {"state_post": "IL-55733"},
    ),
    ("ems", "Priya", "Shah", "E-210", "pshah@harlan-ems.example", {"nremt": "E1029384"}),
    (
        "ems",
        "Jake",
        "Morrow",
        "E-233",
        "jmorrow@harlan-ems.example",
        {"nremt": "E1047751", "license": "IL-EMT-88213"},
    ),
    ("dispatch", "Rita", "Gomez", "D-14", "rgomez@harlan911.example", {"apco": "APCO-771204"}),
    ("dispatch", "Ben", "Carter", "D-19", "bcarter@harlan911.example", {}),
]

# role -> (email, agency key or None, employee id of the user's person or None)
USERS = {
    "admin": ("admin@muster.example", None, None),
    "coordinator": ("training@riverton-fire.example", "fire", None),
    "instructor": ("mbell@riverton-fire.example", "fire", "F-1021"),
    "officer": ("sobrien@riverton-pd.example", "police", "P-0457"),
}

ENROLLED = ["P-0457", "P-0512", "E-210", "F-1107"]
CLASS_DAYS = [datetime.date(2026, 3, 14), datetime.date(2026, 3, 15)]  # CDT: UTC-05:00


def load(today=None):
    """Create the demo data unless it exists; return the lines to print."""
    today = today or datetime.date.today()
    with db.atomic():
        host = Agency.get_or_none(Agency.code == HOST_CODE)
        if host is None:
            _create(today)
            lines = ["Demo data loaded."]
        else:
            lines = ["Demo data already present; issuing new tokens."]
        users = {
            role: User.get_or_none(User.email == email) for role, (email, _, _) in USERS.items()
        }
        if None in users.values():
            missing = [role for role, user in users.items() if user is None]
            return [
                f"Agency {HOST_CODE} exists but demo users {missing} do not: "
                "this database was not loaded by demo.py; nothing done."
            ]
        for role, user in users.items():
            lines.append(f"{role:<12} {user.email:<34} {issue_token(user)}")
            audit.record(
                "issue_token",
                "user",
                user.id,
                agency_id=user.agency_id,
                user=users["admin"],
                reason="demo-data",
            )
        lines.append(_hint())
    return lines


def _create(today):
    admin = User.create(email=USERS["admin"][0], role="admin")
    audit.record(
        "create", "user", admin.id, after=audit.snapshot(admin), user=admin, reason="demo-data"
    )

    def log(entity, row, agency_id, person_agency_id=None):
        audit.record(
            "create",
            entity,
            row.id,
            after=audit.snapshot(row),
            user=admin,
            agency_id=agency_id,
            person_agency_id=person_agency_id,
            reason="demo-data",
        )

    agencies = {}
    for key, data in AGENCIES.items():
        agencies[key] = Agency.create(**data)
        log("agency", agencies[key], agencies[key].id)

    people = {}
    for key, first, last, employee_id, email, external_ids in PEOPLE:
        agency = agencies[key]
        person = create_person(
            {
                "agency_id": agency.id,
                "first_name": first,
                "last_name": last,
                "employee_id": employee_id,
                "email": email,
                "external_ids": external_ids,
            }
        )
        people[employee_id] = person
        log("person", person, agency.id, agency.id)

    for role, (email, agency_key, employee_id) in USERS.items():
        if role == "admin":
            continue
        user = User.create(
            email=email,
            role=role,
            agency=agencies[agency_key],
            person=people[employee_id] if employee_id else None,
        )
        log("user", user, user.agency_id)

    hazmat = Certification.create(
        name="Hazmat Operations",
        issuing_body="Illinois Office of the State Fire Marshal",
        validity_months=24,
        code="HZOPS",
    )
    cpr = Certification.create(
        name="CPR / BLS Provider",
        issuing_body="American Heart Association",
        validity_months=24,
        code="CPR",
    )
    for certification in (hazmat, cpr):
        log("certification", certification, None)

    fire = agencies["fire"]
    course = Course.create(
        host_agency=fire,
        code="HZ-OPS-16",
        title="Hazardous Materials Operations",
        description="NFPA 470 operations level: recognition, isolation, defensive "
        "control and decontamination. Two 8-hour days; written and practical "
        "evaluation on day two.",
        kind="class",
        hours=16,
        min_attendance_pct=90,
        requires_pass=True,
        external_ids={"state_course": "SFM-HMO-4410"},
    )
    CourseCredit.insert_many(
        [
            {"course": course.id, "category": "state_post", "hours": 16},
            {"course": course.id, "category": "iso_hazmat", "hours": 16},
        ]
    ).execute()
    CourseAward.create(course=course, certification=hazmat, requires_pass=True)
    log("course", course, fire.id)

    # Two fixed days (the README's walk-through quotes them), 08:00-16:00 where the host is.
    zone = zoneinfo.ZoneInfo(fire.timezone)
    offering = Offering.create(
        course=course, host_agency=fire, location="Riverton Fire Training Center, 400 Depot St"
    )
    for day in CLASS_DAYS:
        start = datetime.datetime.combine(day, datetime.time(8), tzinfo=zone)
        end = datetime.datetime.combine(day, datetime.time(16), tzinfo=zone)
        Session.create(offering=offering, starts_at=to_utc(start), ends_at=to_utc(end))
    OfferingInstructor.create(offering=offering, person=people["F-1021"])
    log("offering", offering, fire.id)
    for employee_id in ENROLLED:
        entry = RosterEntry.create(offering=offering, person=people[employee_id])
        log("roster_entry", entry, fire.id, people[employee_id].agency_id)

    # CPR cards the EMS service issued earlier: one current, one expiring soon.
    for employee_id, months_ago in (("E-210", 6), ("P-0512", 23)):
        issued = add_months(today, -months_ago)
        award = create_award(
            cpr,
            issued,
            person=people[employee_id],
            expires_on=expires_on(issued, cpr.validity_months),
        )
        log("award", award, agencies["ems"].id, people[employee_id].agency_id)


def _hint():
    offering = (
        Offering.select()
        .join(Course)
        .where(Course.code == "HZ-OPS-16")
        .order_by(Offering.id)
        .first()
    )
    sessions = [s.id for s in offering.session_rows.order_by(Session.starts_at)]
    agencies = {
        a.code: a.id
        for a in Agency.select().where(
            Agency.code.in_([data["code"] for data in AGENCIES.values()])
        )
    }
    dispatcher = Person.get(Person.employee_id == "D-14", Person.agency == agencies["IL-HC911"])
    return (
        f"Try: offering {offering.id} (course {offering.course_id}, sessions "
        f"{sessions[0]} and {sessions[1]}) as the instructor; a walk-in from agency "
        f"{agencies['IL-HC911']} (employee D-14, person {dispatcher.id}); "
        "docs at /api/v1/docs"
    )
