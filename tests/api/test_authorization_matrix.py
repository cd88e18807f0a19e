"""Who may call what: every route the server answers, called as every kind of caller, and
the exact status each one gets.

One world serves every row (built once per test worker; each call runs in a transaction
rolled back after it, so no call's outcome depends on another's): the fire
department hosts classes taught by its instructor, a police officer of a neighbouring
agency attends them, and EMS is an agency with no part in any of it.

The callers (columns), and the issue's kinds of caller they stand for:

    admin     an admin
    host      the fire coordinator: coordinator of the agency owning a class, course or
              certification (its host); of another agency for a person's routes
    home      the police coordinator: coordinator of the agency owning a person, user or
              police agency route (the officer's home); of another agency for a class's
    stranger  the EMS coordinator: coordinator of another agency, with no tie to any of it
    teacher   the fire instructor teaching the class
    other     a fire instructor teaching another class of the same host
    officer   the police officer concerned (the person, user, roster entry ... of the route)
    colleague another police officer
    none      no token
    expired   an expired token (of an admin)
    revoked   a revoked token (of an admin)

Path parameters name the officer's records: `person_id` the officer, `user_id` their user,
`agency_id` the police department (its own settings and people), `offering_id` the class
under way now with the officer on its roster; a row names other records where it needs them.
"""

import datetime
import io
import os
import re
from types import SimpleNamespace
from urllib.parse import urlparse

import psycopg2
import pytest
from PIL import Image

from database import db, migrate, open_database
from factory import create_app
from models import ApiToken, Delivery
from notifications.email import unsubscribe_token
from notifications.worker import fan_out
from tests.conftest import POSTGRES
from tests.helpers import OPEN_DAYS, Caller, created

CALLERS = "admin host home stranger teacher other officer colleague none expired revoked".split()
MINUTE = datetime.timedelta(minutes=1)


# --- the world --------------------------------------------------------------------------


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PERSONNEL = "first_name,last_name,employee_id,email\nDana,Kowalski,P-20,dana@rpd.test\n"
WEBHOOK_URL = "https://93.184.216.34/hooks/muster"  # a public address: no DNS needed


def _agency(admin, name, code, kind):
    body = {"name": name, "code": code, "kind": kind, "state": "IL", "timezone": "America/Chicago"}
    return created(admin.post("/agencies", json=body))


def _ok(response, *codes):
    assert response.status_code in (codes or (200, 201)), response.get_data(as_text=True)
    return response.get_json()


def build_world(app):
    """The records every row's path and body name, and a token for each caller."""
    client = app.test_client()
    result = app.test_cli_runner().invoke(args=["create-admin", "chief@muster.test"])
    assert result.exit_code == 0, result.output
    admin = Caller(client, result.output.strip().splitlines()[-1])
    fire = _agency(admin, "Riverton Fire Department", "RFD", "fire")
    police = _agency(admin, "Riverton Police Department", "RPD", "law")
    ems = _agency(admin, "County EMS", "CEMS", "ems")

    def person(agency, first, last, employee_id, **extra):
        body = {"agency_id": agency["id"], "first_name": first, "last_name": last}
        return created(admin.post("/people", json=body | {"employee_id": employee_id} | extra))

    def user(role, agency, email, person=None, **extra):
        body = {"email": email, "role": role, "agency_id": agency and agency["id"]}
        body["person_id"] = person and person["id"]
        made = created(admin.post("/users", json=body | extra))
        return made, admin.as_(made["token"])

    w = SimpleNamespace(fire=fire["id"], police=police["id"], ems=ems["id"], admin=admin)
    callers = {"admin": admin, "none": admin.as_(None)}
    _, callers["host"] = user("coordinator", fire, "fc@rfd.test")
    _, callers["home"] = user("coordinator", police, "pc@rpd.test")
    _, callers["stranger"] = user("coordinator", ems, "ec@cems.test")
    ana = person(fire, "Ana", "Ramírez", "F-100")
    _, callers["teacher"] = user("instructor", fire, "ana@rfd.test", ana)
    ben = person(fire, "Ben", "Okafor", "F-101")
    _, callers["other"] = user("instructor", fire, "ben@rfd.test", ben)
    sean = person(
        police,
        "Sean",
        "O'Brien",
        "P-7",
        email="s.obrien.7315@rpd.test",
        external_ids={"state_post": "IL-73158"},
    )
    officer_user, callers["officer"] = user("officer", police, "sean@rpd.test", sean)
    kim = person(police, "Kim", "Lee", "P-8")
    _, callers["colleague"] = user("officer", police, "kim@rpd.test", kim)
    # two admins' tokens that no longer work: one expired, one revoked
    late, callers["expired"] = user("admin", None, "late@muster.test", expires_in_days=1)
    gone, callers["revoked"] = user("admin", None, "gone@muster.test")
    _ok(admin.delete(f"/users/{gone['id']}/tokens"))
    with app.app_context():
        ApiToken.update(expires_at=datetime.datetime(2020, 1, 1)).where(
            ApiToken.user == late["id"]
        ).execute()
    w.person, w.user, w.colleague = sean["id"], officer_user["id"], kim["id"]
    w.duplicate = person(police, "Sean", "OBrien", "P-7b")["id"]
    w.instructor, w.other_instructor = ana["id"], ben["id"]
    w.asset, w.static_file = "swagger-ui.css", "muster.css"
    w.officer_at_door = {
        k: sean[k] for k in ("first_name", "last_name", "agency_id", "employee_id")
    }

    host, home = callers["host"], callers["home"]
    # fire opens its "partners" classes to the police
    _ok(host.put(f"/agencies/{w.fire}/partners", json={"partner_ids": [w.police]}))
    cert = created(
        host.post(
            "/certifications",
            json={"name": "Hazmat Operations", "issuing_body": "SFM", "agency_id": w.fire},
        )
    )
    w.certification = cert["id"]
    course = created(
        host.post(
            "/courses",
            json={
                "code": "HZ-OPS",
                "title": "Hazardous Materials Operations",
                "host_agency_id": w.fire,
                "hours": "8",
                "awards": [{"certification_id": cert["id"]}],
            },
        )
    )
    w.course = course["id"]

    def offering(sessions, teachers=(ana,), **extra):
        body = {
            "course_id": course["id"],
            "location": "Riverton Training Ground",
            "instructor_ids": [t["id"] for t in teachers],
            "sessions": list(sessions),
            "visibility": "partners",
        }
        return created(host.post("/offerings", json=body | extra))

    def at_door(offering, who, caller=None):
        details = {k: who[k] for k in ("first_name", "last_name", "agency_id", "employee_id")}
        path = f"/offerings/{offering['id']}/roster"
        return _ok((caller or callers["teacher"]).post(path, json={"person": details}))

    # the police department's settings: a webhook (told of the officer's records), exports
    hook = created(
        home.post(f"/agencies/{w.police}/webhooks", json={"url": WEBHOOK_URL, "events": ["*"]})
    )
    w.webhook = hook["id"]
    _ok(home.put(f"/agencies/{w.police}/logo", data=PNG, content_type="image/png"))
    profile = {"format": "csv", "preset": "totara-course", "options": {"person_ref": "email"}}
    _ok(home.put(f"/agencies/{w.police}/export-profile", json=profile))
    requirement = {
        "agency_id": w.police,
        "name": "Continuing education",
        "kind": "hours",
        "hours": "40",
        "period_months": 24,
    }
    w.requirement = created(home.post("/requirements", json=requirement))["id"]

    # the class the officer finished: closed, a completion and an award
    past = offering(
        [{"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T16:00:00-06:00"}]
    )
    w.past = past["id"]
    at_door(past, sean)
    session = past["sessions"][0]["id"]
    teacher = callers["teacher"]
    rows = [{"person_id": sean["id"], "session_id": session, "minutes": 480}]
    _ok(teacher.put(f"/offerings/{w.past}/attendance", json=rows))
    rows = [{"person_id": sean["id"], "passed": True, "score": "90"}]
    _ok(teacher.put(f"/offerings/{w.past}/results", json=rows))
    _ok(teacher.post(f"/offerings/{w.past}/close"))
    # a class whose day is over but which nobody has closed yet
    w.ended = offering(
        [{"starts_at": "2026-03-14T08:00:00-05:00", "ends_at": "2026-03-14T16:00:00-05:00"}]
    )["id"]
    at_door({"id": w.ended}, sean)

    # the class under way now: the officer at the door, checked in by its code
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    live = offering(
        [
            {
                "starts_at": (now - 60 * MINUTE).isoformat(),
                "ends_at": (now + 360 * MINUTE).isoformat(),
            }
        ]
    )
    w.offering, w.session = live["id"], live["sessions"][0]["id"]
    w.session_ends = live["sessions"][0]["ends_at"]
    w.entry = at_door(live, sean)["entry"]["id"]
    code = _ok(teacher.get(f"/offerings/{w.offering}/check-in-code"))["code"]
    w.code = code
    w.check_in = _ok(
        callers["officer"].post(f"/offerings/{w.offering}/check-ins", json={"code": code})
    )["id"]
    # a walk-in whose agency the door created (unverified until an admin verifies it)
    walk_in = {
        "first_name": "Maria",
        "last_name": "Gomez",
        "agency": {"name": "Mercy General Hospital", "kind": "hospital", "state": "IL"},
    }
    entry = _ok(teacher.post(f"/offerings/{w.offering}/roster", json={"person": walk_in}))
    w.door_agency = _ok(admin.get(f"/people/{entry['person_id']}"))["agency_id"]

    # two classes open for registration: the officer asked for a seat in one
    w.upcoming = offering(OPEN_DAYS, capacity=20)["id"]
    w.registration = created(
        callers["officer"].post(
            f"/offerings/{w.upcoming}/registrations", json={"person_id": sean["id"]}
        )
    )["id"]
    w.open = offering(OPEN_DAYS, capacity=20)["id"]
    # another class of the host, taught by the other instructor, the colleague on its roster
    w.other = offering(OPEN_DAYS, teachers=(ben,))["id"]
    at_door({"id": w.other}, kim, callers["other"])

    # the officer's records of the past class
    (completion,) = _ok(admin.get(f"/completions?person_id={sean['id']}"))
    w.completion, w.verify = completion["id"], completion["verify_code"]
    w.award = _ok(admin.get(f"/awards?person_id={sean['id']}"))[0]["id"]
    w.attempt = _ok(admin.get(f"/attempts?person_id={sean['id']}"))[0]["id"]
    with app.app_context():  # the worker's fan-out, then a delivery the receiver refused
        fan_out(datetime.datetime.now(datetime.UTC).replace(tzinfo=None))
        Delivery.update(status="failed").where(Delivery.channel == "webhook").execute()
    deliveries = _ok(home.get(f"/agencies/{w.police}/webhooks/{w.webhook}/deliveries"))
    w.delivery = deliveries[0]["id"]
    # outside training the officer sent in, with its evidence
    submission = {
        "person_id": sean["id"],
        "title": "Crisis Intervention",
        "provider": "State Police Academy",
        "completed_on": "2025-10-04",
        "hours": "7.5",
    }
    w.submission = created(callers["officer"].post("/submissions", json=submission))["id"]
    _ok(
        callers["officer"].put(
            f"/submissions/{w.submission}/evidence",
            data={"file": (io.BytesIO(PDF), "certificate.pdf")},
            content_type="multipart/form-data",
        )
    )
    # the officer's calendar feed and an unsubscribe link of theirs
    feed = created(
        callers["officer"].post(f"/users/{w.user}/calendar-feeds", json={"kind": "personal"})
    )
    w.feed, w.secret = feed["id"], urlparse(feed["url"]).path.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        w.unsubscribe = unsubscribe_token(w.user, "registration.waitlisted")
    return w, callers


# --- the world's own database -----------------------------------------------------------


def _pg_admin():
    server = urlparse(POSTGRES)
    connection = psycopg2.connect(
        host=server.hostname,
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


class WorldDatabase:
    """A database of the world's own on this worker (other tests empty the worker's shared
    one between tests), bound to the proxy again before each row."""

    def __init__(self, tmp, worker):
        self.tmp = tmp
        if POSTGRES:
            self.name = f"muster_matrix_{os.getpid()}_{worker}"
            admin = _pg_admin()
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            admin.close()
            self.url = urlparse(POSTGRES)._replace(path=f"/{self.name}").geturl()
        else:
            self.url = f"sqlite:///{tmp / 'world.db'}"
        self.use()

    def use(self):
        if db.obj is not None and not db.is_closed():
            db.close()
        self.database = open_database(self.url)

    def bound(self):
        """Bind the proxy to the world again if another test bound it elsewhere."""
        if db.obj is not self.database:
            self.use()

    def close(self):
        if not db.is_closed():
            db.close()
        if POSTGRES:
            admin = _pg_admin()
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.close()


@pytest.fixture(scope="session")
def matrix(tmp_path_factory, worker_id):
    """(app, world, callers, database): the world, built once on this worker (whichever
    other tests run between its rows)."""
    database = WorldDatabase(tmp_path_factory.mktemp("matrix"), worker_id)
    migrate()
    app = create_app(
        {"DATABASE_URL": database.url, "TESTING": True, "MAIL_OUTBOX": str(database.tmp / "mail")}
    )
    world, callers = build_world(app)
    yield app, world, callers, database
    database.close()


# --- calling a route --------------------------------------------------------------------

PATH_DEFAULTS = {
    "agency_id": "police",
    "person_id": "person",
    "user_id": "user",
    "offering_id": "offering",
    "course_id": "course",
    "certification_id": "certification",
    "requirement_id": "requirement",
    "submission_id": "submission",
    "registration_id": "registration",
    "completion_id": "completion",
    "award_id": "award",
    "attempt_id": "attempt",
    "check_in_id": "check_in",
    "entry_id": "entry",
    "feed_id": "feed",
    "secret": "secret",
    "token": "unsubscribe",
    "code": "verify",
    "webhook_id": "webhook",
    "delivery_id": "delivery",
    "filename": "asset",
}


def expected(route):
    """{caller: status} of a MATRIX row, e.g. "200", or "200+" / "200-" for a list."""
    codes = MATRIX[route].split()
    assert len(codes) == len(CALLERS), route
    return dict(zip(CALLERS, codes, strict=True))


def send(caller, method, path, headers, **kwargs):
    headers = dict(headers)
    if caller.token:
        headers["Authorization"] = f"Bearer {caller.token}"
    return caller.client.open(path, method=method, headers=headers, **kwargs)


def call(caller, world, route, request):
    method, template = route.split(" ", 1)
    template = template.split(" ", 1)[0]  # "GET /verify/{code} (page)": a variant's note
    names = PATH_DEFAULTS | {k: v for k, v in request.items() if k in PATH_DEFAULTS}
    path = template
    for name, attribute in names.items():
        path = path.replace("{" + name + "}", str(getattr(world, attribute)))
    assert "{" not in path, path
    if request.get("query"):
        path += "?" + request["query"]
    kwargs = {"headers": dict(request.get("headers") or {})}
    body = request.get("json")
    if callable(body):
        body = body(world)
    if body is not None:
        kwargs["json"] = body
    if "data" in request:
        data = request["data"]
        kwargs["data"] = data() if callable(data) else data
        kwargs["content_type"] = request["content_type"]
    if method == "PATCH":
        # the item's current ETag, as read by an admin: the precondition never decides
        etag = send(world.admin, "GET", "/api/v1" + path, {}).headers.get("ETag")
        kwargs["headers"].setdefault("If-Match", etag)
    if not path.startswith(("/docs-assets/", "/static/")):
        path = "/api/v1" + path
    return send(caller, method, path, **kwargs)


# What of the officer each caller outside their scope must never be shown, in any answer:
# their regulator id and e-mail (only their agency sees those; the door used their employee
# id), and their very name to callers with no tie to their classes. The verify routes show
# a certificate's name to anyone holding its code, by design.
IDENTIFIERS = ("IL-73158", "s.obrien.7315@rpd.test")
HIDDEN_FROM = {
    "host": IDENTIFIERS,
    "teacher": IDENTIFIERS,
    **{name: (*IDENTIFIERS, "O'Brien") for name in ("stranger", "other", "colleague", "none")},
}
PUBLIC_NAME_ROUTES = ("GET /verify/",)


def outcome(matrix, route):
    """({caller: status}, [what a caller was shown that it must not see]) for one route,
    each caller calling the world as built: what a call writes is rolled back before the
    next one."""
    app, world, callers, database = matrix
    request = REQUESTS.get(route, {})
    database.bound()
    got, leaks = {}, []
    for name in CALLERS:
        with db.atomic() as transaction:  # whatever the call writes is undone after it
            response = call(callers[name], world, route, request)
            text = response.get_data()  # a streamed body is read inside the transaction too
            transaction.rollback()
        got[name] = str(response.status_code)
        for hidden in HIDDEN_FROM.get(name, ()):
            if hidden.encode() in text and not route.startswith(PUBLIC_NAME_ROUTES):
                leaks.append(f"{name} was shown {hidden!r}")
        if route in SEES and response.status_code == 200:
            got[name] += "+" if SEES[route](world, response.get_json()) else "-"
    return got, leaks


def _personnel():  # a new stream for each call
    return {"file": (io.BytesIO(PERSONNEL.encode()), "personnel.csv")}


def _evidence():
    return {"file": (io.BytesIO(PDF), "certificate.pdf")}


# How each row is called beyond its path: bodies are valid, so no refusal is a 422
# masking a 403.
REQUESTS = {
    "GET /static/{filename}": dict(filename="static_file"),
    "GET /people (by employee id)": dict(query="employee_id=P-7"),
    "POST /agencies": dict(
        json={"name": "Riverton 911", "code": "R911", "kind": "dispatch", "state": "IL"}
    ),
    "PATCH /agencies/{agency_id}": dict(json={"name": "Riverton Police Dept."}),
    "POST /agencies/{agency_id}/verify": dict(agency_id="door_agency"),
    "POST /agencies/{agency_id}/merge": dict(
        agency_id="door_agency", json=lambda w: {"into_id": w.ems, "reason": "The same hospital"}
    ),
    "PUT /agencies/{agency_id}/logo": dict(data=PNG, content_type="image/png"),
    "PUT /offerings/{offering_id}/attendance": dict(
        json=lambda w: [{"person_id": w.person, "session_id": w.session, "minutes": 60}]
    ),
    "POST /offerings/{offering_id}/attendance/open-stays/close": dict(json={}),
    "POST /awards/{award_id}/revoke": dict(json={"reason": "Issued in error"}),
    "POST /users/{user_id}/calendar-feeds": dict(json={"kind": "personal"}),
    "GET /catalog/{offering_id}": dict(offering_id="upcoming"),
    "GET /offerings/{offering_id}/certificates.pdf": dict(offering_id="past"),
    "POST /certifications": dict(
        json=lambda w: {"name": "Rope Rescue", "issuing_body": "SFM", "agency_id": w.fire}
    ),
    "PATCH /certifications/{certification_id}": dict(json={"name": "Hazmat Operations Level"}),
    "POST /offerings/{offering_id}/check-ins": dict(json=lambda w: {"code": w.code}),
    "POST /offerings/{offering_id}/check-ins/{check_in_id}/reject": dict(
        json={"reason": "Not in the room"}
    ),
    # out at the session's end: "now" can be the very second the world checked in
    "POST /offerings/{offering_id}/check-ins/{check_in_id}/check-out": dict(
        json=lambda w: {"at": w.session_ends}
    ),
    # a class under way is closable only once its day is over where the host is, which for
    # a session running past local midnight is tomorrow: the class that has ended is closed
    "POST /offerings/{offering_id}/close": dict(offering_id="ended"),
    "POST /offerings/{offering_id}/reopen": dict(
        offering_id="past", json={"reason": "A result was wrong"}
    ),
    "POST /completions/{completion_id}/revoke": dict(json={"reason": "Issued in error"}),
    "POST /courses": dict(
        json=lambda w: {
            "code": "RR-1",
            "title": "Rope Rescue",
            "host_agency_id": w.fire,
            "hours": "8",
        }
    ),
    "PATCH /courses/{course_id}": dict(json={"title": "Hazmat Operations"}),
    "POST /door-matches/{entry_id}/undo": dict(json={"reason": "Not our officer"}),
    "PUT /agencies/{agency_id}/export-profile": dict(
        json={"format": "csv", "preset": "totara-course", "options": {"person_ref": "employee_id"}}
    ),
    "PUT /users/{user_id}/notification-settings": dict(json={"email": False}),
    "PUT /agencies/{agency_id}/notification-settings": dict(json={"expiry_offsets": [60, 30]}),
    "POST /offerings": dict(
        json=lambda w: {
            "course_id": w.course,
            "location": "Station 1",
            "instructor_ids": [w.instructor],
            "sessions": list(OPEN_DAYS),
        }
    ),
    "PATCH /offerings/{offering_id}": dict(json={"location": "Station 2"}),
    "PATCH /offerings/{offering_id} (naming a person the host cannot see)": dict(
        json=lambda w: {"instructor_ids": [w.instructor, w.person]}
    ),
    "POST /offerings/{offering_id}/cancel": dict(json={"reason": "Flooded"}),
    "PUT /agencies/{agency_id}/partners": dict(json=lambda w: {"partner_ids": [w.fire]}),
    "POST /people": dict(
        json=lambda w: {
            "agency_id": w.police,
            "first_name": "Dana",
            "last_name": "Kowalski",
            "employee_id": "P-20",
        }
    ),
    "PATCH /people/{person_id}": dict(json={"email": "sean@obrien.example"}),
    "POST /people/{person_id}/merge": dict(
        json=lambda w: {"duplicate_id": w.duplicate, "reason": "Same officer"}
    ),
    "POST /agencies/{agency_id}/people/import": dict(
        data=_personnel, content_type="multipart/form-data"
    ),
    "PUT /people/{person_id}/sharing": dict(json={"share_achievements": False}),
    "GET /offerings/{offering_id}/registrations": dict(offering_id="upcoming"),
    "POST /offerings/{offering_id}/registrations": dict(
        offering_id="open", json=lambda w: {"person_id": w.person}
    ),
    "POST /registrations/{registration_id}/approve": dict(json={"comment": "Approved"}),
    "POST /registrations/{registration_id}/decline": dict(json={"comment": "Short-staffed"}),
    "POST /registrations/{registration_id}/cancel": dict(json={"reason": "Shift change"}),
    "POST /requirements": dict(
        json=lambda w: {
            "agency_id": w.police,
            "name": "Firearms",
            "kind": "hours",
            "hours": "8",
            "period_months": 12,
        }
    ),
    "PATCH /requirements/{requirement_id}": dict(json={"name": "Continuing education hours"}),
    "PUT /offerings/{offering_id}/results": dict(
        json=lambda w: [{"person_id": w.person, "passed": True, "score": "95"}]
    ),
    "POST /offerings/{offering_id}/roster": dict(
        offering_id="open", json=lambda w: {"person": w.officer_at_door}
    ),
    "POST /offerings/{offering_id}/roster/{entry_id}/withdraw": dict(
        json={"reason": "Called to a fire"}
    ),
    "POST /submissions": dict(
        json=lambda w: {
            "person_id": w.person,
            "title": "Taser",
            "provider": "Axon",
            "completed_on": "2025-11-01",
            "hours": "4",
        }
    ),
    "PUT /submissions/{submission_id}/evidence": dict(
        data=_evidence, content_type="multipart/form-data"
    ),
    "POST /submissions/{submission_id}/approve": dict(json={"comment": "Certificate checked"}),
    "POST /submissions/{submission_id}/reject": dict(json={"comment": "No certificate"}),
    "POST /users": dict(
        json=lambda w: {"email": "dana@rpd.test", "role": "coordinator", "agency_id": w.police}
    ),
    "PATCH /users/{user_id}": dict(json={"active": True}),
    "POST /users/{user_id}/tokens": dict(json={"expires_in_days": 30}),
    "GET /verify/{code} (page)": dict(headers={"Accept": "text/html"}),
    "POST /agencies/{agency_id}/webhooks": dict(json={"url": WEBHOOK_URL + "/2", "events": ["*"]}),
    "PATCH /agencies/{agency_id}/webhooks/{webhook_id}": dict(json={"description": "RMS"}),
}

# Route -> the exact status each caller gets. "200+" / "200-": a list that does / does not
# show the officer's record (SEES says what that is for the route).
# fmt: off
MATRIX = {
    #    adm  host home strg tchr othr offc coll none exp  rev
    "GET /health":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /openapi.json":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /docs":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /static/{filename}":
        "404  404  404  404  404  404  404  404  401  401  401",
    "GET /docs-assets/swagger-ui/{filename}":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /agencies":
        "200  200  200  200  200  200  200  200  401  401  401",
    "POST /agencies":
        "201  403  403  403  403  403  403  403  401  401  401",
    "GET /agencies/{agency_id}":
        "200  200  200  200  200  200  200  200  401  401  401",
    "PATCH /agencies/{agency_id}":
        "200  403  200  403  403  403  403  403  401  401  401",
    "POST /agencies/{agency_id}/verify":
        "200  403  403  403  403  403  403  403  401  401  401",
    "POST /agencies/{agency_id}/merge":
        "200  403  403  403  403  403  403  403  401  401  401",
    "GET /agencies/{agency_id}/logo":
        "200  200  200  200  200  200  200  200  401  401  401",
    "PUT /agencies/{agency_id}/logo":
        "200  404  200  404  404  404  403  403  401  401  401",
    "GET /attempts":
        "200+ 200+ 200+ 200- 200+ 200- 200+ 200- 401  401  401",
    "GET /attempts/{attempt_id}":
        "200  200  200  404  200  404  200  404  401  401  401",
    "GET /offerings/{offering_id}/attendance":
        "200  200  403  403  200  403  403  403  401  401  401",
    "PUT /offerings/{offering_id}/attendance":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /offerings/{offering_id}/attendance/open-stays":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/attendance/open-stays/close":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /audit":
        "200+ 200- 200+ 200- 403  403  403  403  401  401  401",
    "GET /awards":
        "200+ 200+ 200+ 200- 200+ 200- 200+ 200- 401  401  401",
    "GET /awards/{award_id}":
        "200  200  200  404  200  404  200  404  401  401  401",
    "POST /awards/{award_id}/revoke":
        "200  200  403  404  403  404  403  404  401  401  401",
    "GET /calendar/{secret}.ics":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /users/{user_id}/calendar-feeds":
        "200  404  404  404  404  404  200  404  401  401  401",
    "POST /users/{user_id}/calendar-feeds":
        "403  404  404  404  404  404  201  404  401  401  401",
    "GET /users/{user_id}/calendar-feeds/{feed_id}":
        "200  404  404  404  404  404  200  404  401  401  401",
    "DELETE /users/{user_id}/calendar-feeds/{feed_id}":
        "200  404  404  404  404  404  200  404  401  401  401",
    "GET /catalog":
        "200+ 200+ 200+ 200- 200+ 200+ 200+ 200+ 401  401  401",
    "GET /catalog/{offering_id}":
        "200  200  200  404  200  200  200  200  401  401  401",
    "GET /completions/{completion_id}/certificate.pdf":
        "200  200  200  404  200  404  200  404  401  401  401",
    "GET /awards/{award_id}/certificate.pdf":
        "200  200  200  404  200  404  200  404  401  401  401",
    "GET /offerings/{offering_id}/certificates.pdf":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /certifications":
        "200  200  200  200  200  200  200  200  401  401  401",
    "POST /certifications":
        "201  201  403  403  403  403  403  403  401  401  401",
    "GET /certifications/{certification_id}":
        "200  200  200  200  200  200  200  200  401  401  401",
    "PATCH /certifications/{certification_id}":
        "200  200  403  403  403  403  403  403  401  401  401",
    "GET /offerings/{offering_id}/check-in-code":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /offerings/{offering_id}/check-ins":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/check-ins":
        "403  403  403  403  201  201  200  201  401  401  401",
    "POST /offerings/{offering_id}/check-ins/{check_in_id}/confirm":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/check-ins/{check_in_id}/reject":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/check-ins/{check_in_id}/check-out":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/close":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/reopen":
        "200  200  403  403  403  403  403  403  401  401  401",
    "GET /completions":
        "200+ 200+ 200+ 200- 200+ 200- 200+ 200- 401  401  401",
    "GET /completions/{completion_id}":
        "200  200  200  404  200  404  200  404  401  401  401",
    "POST /completions/{completion_id}/revoke":
        "200  200  403  404  403  404  403  404  401  401  401",
    "GET /people/{person_id}/compliance":
        "200  404  200  404  403  404  200  404  401  401  401",
    "GET /agencies/{agency_id}/compliance":
        "200  403  200  403  403  403  403  403  401  401  401",
    "GET /agencies/{agency_id}/expiring":
        "200  403  200  403  403  403  403  403  401  401  401",
    "GET /courses":
        "200  200  200  200  200  200  200  200  401  401  401",
    "POST /courses":
        "201  201  403  403  403  403  403  403  401  401  401",
    "GET /courses/{course_id}":
        "200  200  200  200  200  200  200  200  401  401  401",
    "PATCH /courses/{course_id}":
        "200  200  403  403  403  403  403  403  401  401  401",
    "GET /agencies/{agency_id}/door-matches":
        "200  404  200  404  404  404  404  404  401  401  401",
    "GET /door-matches/{entry_id}":
        "200  404  200  404  404  404  404  404  401  401  401",
    "POST /door-matches/{entry_id}/undo":
        "200  404  200  404  404  404  404  404  401  401  401",
    "GET /export-formats":
        "200  200  200  200  200  200  200  200  401  401  401",
    "GET /agencies/{agency_id}/export-profile":
        "200  404  200  404  404  404  403  403  401  401  401",
    "PUT /agencies/{agency_id}/export-profile":
        "200  404  200  404  404  404  403  403  401  401  401",
    "GET /agencies/{agency_id}/exports":
        "200  404  200  404  404  404  403  403  401  401  401",
    "POST /agencies/{agency_id}/exports/push":
        "409  404  409  404  404  404  403  403  401  401  401",
    "GET /users/{user_id}/notification-settings":
        "200  404  200  404  403  403  200  403  401  401  401",
    "PUT /users/{user_id}/notification-settings":
        "200  404  200  404  403  403  200  403  401  401  401",
    "GET /agencies/{agency_id}/notification-settings":
        "200  200  200  200  200  200  200  200  401  401  401",
    "PUT /agencies/{agency_id}/notification-settings":
        "200  403  200  403  403  403  403  403  401  401  401",
    "GET /notifications/unsubscribe/{token}":
        "200  200  200  200  200  200  200  200  200  401  401",
    "POST /notifications/unsubscribe/{token}":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /offerings":
        "200  200  200  200  200  200  200  200  401  401  401",
    "POST /offerings":
        "201  201  403  403  403  403  403  403  401  401  401",
    "GET /offerings/{offering_id}":
        "200  200  200  200  200  200  200  200  401  401  401",
    "PATCH /offerings/{offering_id}":
        "200  200  403  403  403  403  403  403  401  401  401",
    "PATCH /offerings/{offering_id} (naming a person the host cannot see)":
        "200  422  403  403  403  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/cancel":
        "200  200  403  403  403  403  403  403  401  401  401",
    "GET /agencies/{agency_id}/partners":
        "200  404  200  404  404  404  403  403  401  401  401",
    "PUT /agencies/{agency_id}/partners":
        "200  404  200  404  404  404  403  403  401  401  401",
    "GET /people":
        "200+ 200- 200+ 200- 200+ 200- 200+ 200- 401  401  401",
    "POST /people":
        "201  403  201  403  403  403  403  403  401  401  401",
    "GET /people (by employee id)":
        "200+ 200- 200+ 200- 200- 200- 200+ 200- 401  401  401",
    "GET /people/{person_id}":
        "200  404  200  404  200  404  200  404  401  401  401",
    "PATCH /people/{person_id}":
        "200  404  200  404  403  404  403  404  401  401  401",
    "POST /people/{person_id}/merge":
        "200  404  200  404  403  403  403  403  401  401  401",
    "POST /agencies/{agency_id}/people/import":
        "200  403  200  403  403  403  403  403  401  401  401",
    "GET /agencies/{agency_id}/recognitions":
        "200  404  200  404  404  404  200  200  401  401  401",
    "GET /people/{person_id}/sharing":
        "200  404  200  404  403  404  200  404  401  401  401",
    "PUT /people/{person_id}/sharing":
        "200  404  200  404  403  404  200  404  401  401  401",
    "GET /offerings/{offering_id}/registrations":
        "200+ 200+ 200+ 404  200+ 200- 200+ 200- 401  401  401",
    "POST /offerings/{offering_id}/registrations":
        "201  422  201  404  403  422  201  422  401  401  401",
    "GET /registrations":
        "200+ 200+ 200+ 200- 200+ 200- 200+ 200- 401  401  401",
    "GET /registrations/{registration_id}":
        "200  200  200  404  200  404  200  404  401  401  401",
    "POST /registrations/{registration_id}/approve":
        "200  403  200  404  403  404  403  404  401  401  401",
    "POST /registrations/{registration_id}/decline":
        "200  403  200  404  403  404  403  404  401  401  401",
    "POST /registrations/{registration_id}/cancel":
        "200  200  200  404  403  404  200  404  401  401  401",
    "GET /requirements":
        "200+ 200- 200+ 200- 200- 200- 200+ 200+ 401  401  401",
    "POST /requirements":
        "201  403  201  403  403  403  403  403  401  401  401",
    "GET /requirements/{requirement_id}":
        "200  404  200  404  404  404  200  200  401  401  401",
    "PATCH /requirements/{requirement_id}":
        "200  404  200  404  404  404  403  403  401  401  401",
    "GET /offerings/{offering_id}/results":
        "200  200  403  403  200  403  403  403  401  401  401",
    "PUT /offerings/{offering_id}/results":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /offerings/{offering_id}/roster":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/roster":
        "201  201  403  403  201  403  403  403  401  401  401",
    "GET /offerings/{offering_id}/roster/{entry_id}":
        "200  200  403  403  200  403  403  403  401  401  401",
    "POST /offerings/{offering_id}/roster/{entry_id}/withdraw":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /offerings/{offering_id}/sign-in-sheet.pdf":
        "200  200  403  403  200  403  403  403  401  401  401",
    "GET /submissions":
        "200+ 200- 200+ 200- 200- 200- 200+ 200- 401  401  401",
    "POST /submissions":
        "201  422  201  422  403  422  201  422  401  401  401",
    "GET /submissions/{submission_id}":
        "200  404  200  404  404  404  200  404  401  401  401",
    "GET /submissions/{submission_id}/evidence":
        "200  404  200  404  404  404  200  404  401  401  401",
    "PUT /submissions/{submission_id}/evidence":
        "200  404  200  404  404  404  200  404  401  401  401",
    "POST /submissions/{submission_id}/approve":
        "200  404  200  404  403  403  403  403  401  401  401",
    "POST /submissions/{submission_id}/reject":
        "200  404  200  404  403  403  403  403  401  401  401",
    "GET /people/{person_id}/transcript":
        "200  404  200  404  403  404  200  404  401  401  401",
    "GET /users":
        "200+ 200- 200+ 200- 403  403  403  403  401  401  401",
    "POST /users":
        "201  403  201  403  403  403  403  403  401  401  401",
    "GET /users/me":
        "200  200  200  200  200  200  200  200  401  401  401",
    "GET /users/{user_id}":
        "200  404  200  404  403  403  200  403  401  401  401",
    "PATCH /users/{user_id}":
        "200  404  200  404  403  403  403  403  401  401  401",
    "POST /users/{user_id}/tokens":
        "201  404  201  404  403  403  201  403  401  401  401",
    "DELETE /users/{user_id}/tokens":
        "200  404  200  404  403  403  200  403  401  401  401",
    "GET /verify/{code}":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /verify/{code} (page)":
        "200  200  200  200  200  200  200  200  200  401  401",
    "GET /agencies/{agency_id}/webhooks":
        "200  404  200  404  404  404  403  403  401  401  401",
    "POST /agencies/{agency_id}/webhooks":
        "201  404  201  404  404  404  403  403  401  401  401",
    "GET /agencies/{agency_id}/webhooks/{webhook_id}":
        "200  404  200  404  404  404  403  403  401  401  401",
    "PATCH /agencies/{agency_id}/webhooks/{webhook_id}":
        "200  404  200  404  404  404  403  403  401  401  401",
    "DELETE /agencies/{agency_id}/webhooks/{webhook_id}":
        "200  404  200  404  404  404  403  403  401  401  401",
    "POST /agencies/{agency_id}/webhooks/{webhook_id}/rotate-secret":
        "200  404  200  404  404  404  403  403  401  401  401",
    "GET /agencies/{agency_id}/webhooks/{webhook_id}/deliveries":
        "200  404  200  404  404  404  403  403  401  401  401",
    "POST /agencies/{agency_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver":
        "202  404  202  404  404  404  403  403  401  401  401",
}
# fmt: on


def _has(key, attribute):
    """SEES test: a list item whose `key` is the world's `attribute` (the officer's ...)."""
    return lambda w, items: any(item[key] == getattr(w, attribute) for item in items)


SEES = {
    "GET /attempts": _has("person_id", "person"),
    "GET /awards": _has("person_id", "person"),
    "GET /completions": _has("person_id", "person"),
    "GET /people": _has("id", "person"),
    "GET /people (by employee id)": _has("id", "person"),
    "GET /registrations": _has("person_id", "person"),
    "GET /offerings/{offering_id}/registrations": _has("person_id", "person"),
    "GET /submissions": _has("person_id", "person"),
    "GET /users": _has("id", "user"),
    "GET /requirements": _has("id", "requirement"),
    "GET /catalog": _has("id", "upcoming"),
    "GET /audit": lambda w, entries: any(
        e["entity"] == "person" and e["entity_id"] == str(w.person) for e in entries
    ),
}


# --- the tests --------------------------------------------------------------------------

METHODS = {"get", "post", "put", "patch", "delete"}


def routes_served(app):
    """("METHOD /path" of the OpenAPI document, of every rule the app answers), /api/v1 off."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in document["paths"].items()
        for method in operations
        if method in METHODS
    }
    served = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix("/api/v1")
        served |= {f"{method} {path}" for method in rule.methods - {"HEAD", "OPTIONS"}}
    return documented, served


def test_every_route_has_a_row_and_every_row_a_route(matrix):
    app = matrix[0]
    documented, served = routes_served(app)
    rows = {route.split(" (")[0] for route in MATRIX}
    assert documented <= served
    assert sorted(documented - rows) == [], "routes of the OpenAPI document with no row"
    assert sorted(served - rows) == [], "routes the server answers with no row"
    assert sorted(rows - served) == [], "rows for routes that no longer exist"
    assert set(REQUESTS) <= set(MATRIX) and set(SEES) <= set(MATRIX)
    print(
        f"\nauthorization matrix: {len(MATRIX)} rows ({len(documented)} operations of the "
        f"OpenAPI document, {len(served - documented)} other routes, "
        f"{len(MATRIX) - len(served)} variants) x {len(CALLERS)} callers "
        f"= {len(MATRIX) * len(CALLERS)} calls"
    )


@pytest.mark.parametrize("route", list(MATRIX))
def test_each_caller_gets_exactly_its_status_and_sees_nobody_outside_its_scope(matrix, route):
    got, leaks = outcome(matrix, route)
    wanted = expected(route)
    line = "  ".join(f"{name}={got[name]}" for name in CALLERS if got[name] != wanted[name])
    assert got == wanted, (
        f"{route}: {line}\n got:  {' '.join(got.values())}\n want: {MATRIX[route]}"
    )
    assert leaks == []


def test_an_instructor_id_is_no_probe_for_a_person_outside_the_callers_scope(matrix):
    """A coordinator naming as instructor someone it cannot see is answered as for an id
    nobody has (else the answer tells who exists, and the sign-in sheet prints their name);
    instructors of any agency, and those already listed, may be named."""
    app, world, callers, database = matrix
    database.bound()
    path = f"/api/v1/offerings/{world.offering}"
    etag = send(world.admin, "GET", path, {}).headers["ETag"]

    def named(caller, ids):
        with db.atomic() as transaction:
            response = send(caller, "PATCH", path, {"If-Match": etag}, json={"instructor_ids": ids})
            transaction.rollback()
        return response.status_code, response.get_json().get("errors")

    unknown = named(callers["host"], [world.instructor, 999999])
    hidden = named(callers["host"], [world.instructor, world.person])
    assert (
        unknown[:2]
        == hidden[:2]
        == (
            422,
            {"json": {"instructor_ids": {"1": ["Unknown person."]}}},
        )
    )
    assert named(callers["host"], [world.instructor, world.other_instructor])[0] == 200
    assert named(callers["home"], [world.instructor])[0] == 403
    assert named(world.admin, [world.instructor, world.person])[0] == 200
