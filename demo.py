"""Demo data: a fire department hosting a joint hazmat class for its neighbours.

`load()` creates everything through the same operations the API calls, in one
transaction, audited with the demo admin as the actor, and returns the lines
`flask --app wsgi demo-data` prints: a fresh token per role and the ids to try. It is
idempotent: when the host agency's code already exists nothing is created again; the
demo tokens issued before are revoked and new ones issued, so only the newest work.
"""

import datetime
import zoneinfo
from decimal import Decimal

from database import in_write_transaction
from models import Agency, Course, Offering, Person, Session, User, to_utc
from operations.agencies import create_agency
from operations.certifications import create_certification, record_prior_award
from operations.courses import create_course
from operations.offerings import create_offering
from operations.people import create_person
from operations.roster import enroll
from operations.users import create_user, issue_token, revoke_tokens
from rules.expiry import add_months

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


DEMO = "demo-data"  # the label of the tokens the loader issues, and its audit reason


def load(today=None, token_days=None):
    """Create the demo data unless it exists; return the lines to print. Tokens live
    `token_days` days (None: until revoked)."""
    return _load(today or datetime.date.today(), token_days)


@in_write_transaction
def _load(today, token_days):
    tokens = {}
    if Agency.get_or_none(Agency.code == HOST_CODE) is None:
        tokens = _create(today, token_days)
        lines = ["Demo data loaded."]
    else:
        lines = ["Demo data already present; revoking the old demo tokens, issuing new ones."]
    users = {role: User.get_or_none(User.email == email) for role, (email, _, _) in USERS.items()}
    if None in users.values():
        missing = [role for role, user in users.items() if user is None]
        return [
            f"Agency {HOST_CODE} exists but demo users {missing} do not: "
            "this database was not loaded by demo.py; nothing done."
        ]
    admin = users["admin"]
    for role, user in users.items():
        if role not in tokens:
            revoke_tokens(user, admin, label=DEMO, reason=DEMO)
            tokens[role], _ = issue_token(
                user, admin, expires_in_days=token_days, label=DEMO, reason=DEMO
            )
        lines.append(f"{role:<12} {user.email:<34} {tokens[role]}")
    lines.append(_hint())
    return lines


def _create(today, token_days):
    """Every demo record, through the operations; returns the first token of each user."""
    tokens = {}
    admin, tokens["admin"], _ = create_user(
        {"email": USERS["admin"][0], "role": "admin"},
        None,
        None,  # the system creates the first admin, as create-admin does
        expires_in_days=token_days,
        label=DEMO,
    )

    agencies = {key: create_agency(data, admin, reason=DEMO) for key, data in AGENCIES.items()}

    people = {}
    for key, first, last, employee_id, email, external_ids in PEOPLE:
        people[employee_id] = create_person(
            {
                "agency_id": agencies[key].id,
                "first_name": first,
                "last_name": last,
                "employee_id": employee_id,
                "email": email,
                "external_ids": external_ids,
            },
            admin,
            reason=DEMO,
        )

    for role, (email, agency_key, employee_id) in USERS.items():
        if role == "admin":
            continue
        _, tokens[role], _ = create_user(
            {"email": email, "role": role, "agency_id": agencies[agency_key].id},
            people[employee_id] if employee_id else None,
            admin,
            expires_in_days=token_days,
            label=DEMO,
        )

    hazmat = create_certification(
        {
            "name": "Hazmat Operations",
            "issuing_body": "Illinois Office of the State Fire Marshal",
            "validity_months": 24,
            "code": "HZOPS",
            "agency_id": None,
        },
        admin,
        reason=DEMO,
    )
    cpr = create_certification(
        {
            "name": "CPR / BLS Provider",
            "issuing_body": "American Heart Association",
            "validity_months": 24,
            "code": "CPR",
            "agency_id": None,
        },
        admin,
        reason=DEMO,
    )

    fire = agencies["fire"]
    course = create_course(
        {
            "host_agency_id": fire.id,
            "code": "HZ-OPS-16",
            "title": "Hazardous Materials Operations",
            "description": "NFPA 470 operations level: recognition, isolation, defensive "
            "control and decontamination. Two 8-hour days; written and practical "
            "evaluation on day two.",
            "kind": "class",
            "hours": Decimal("16"),
            "min_attendance_pct": Decimal("90"),
            "requires_pass": True,
            "allows_partial": False,
            "external_ids": {"state_course": "SFM-HMO-4410"},
            "credits": [
                {"category": "state_post", "hours": Decimal("16")},
                {"category": "iso_hazmat", "hours": Decimal("16")},
            ],
            "awards": [{"certification_id": hazmat.id, "min_hours": None, "requires_pass": True}],
        },
        admin,
    )

    # Two fixed days (the README's walk-through quotes them), 08:00-16:00 where the host is.
    zone = zoneinfo.ZoneInfo(fire.timezone)
    sessions = [
        {
            "starts_at": to_utc(datetime.datetime.combine(day, datetime.time(8), tzinfo=zone)),
            "ends_at": to_utc(datetime.datetime.combine(day, datetime.time(16), tzinfo=zone)),
        }
        for day in CLASS_DAYS
    ]
    offering = create_offering(
        course,
        {
            "host_agency_id": fire.id,
            "location": "Riverton Fire Training Center, 400 Depot St",
            "sessions": sessions,
            "instructor_ids": [people["F-1021"].id],
        },
        admin,
    )
    for employee_id in ENROLLED:
        enroll(offering, people[employee_id], admin)

    # CPR cards the EMS service issued earlier: one current, one expiring soon.
    for employee_id, months_ago in (("E-210", 6), ("P-0512", 23)):
        record_prior_award(
            people[employee_id],
            cpr,
            add_months(today, -months_ago),
            agencies["ems"].id,
            admin,
            reason=DEMO,
        )
    return tokens


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
