"""Builders shared by the tests: the HTTP caller, a small world of agencies and users,
and the offerings and courses the scenarios start from."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from peewee import CharField, TextField

from database import MIGRATIONS_DIR
from models import MODELS


class Caller:
    """The HTTP test client speaking as one user (or anonymously)."""

    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def as_(self, token):
        return Caller(self.client, token)

    def _call(self, method, path, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = path if path.startswith("/api/") else "/api/v1" + path
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._call("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self._call("POST", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self._call("PUT", path, json=json, **kwargs)

    def patch(self, path, json=None, headers=None, **kwargs):
        """PATCH as a careful client does: If-Match the ETag just read, unless given."""
        headers = dict(headers or {})
        if "If-Match" not in headers:
            etag = self.get(path).headers.get("ETag")
            if etag:
                headers["If-Match"] = etag
        return self._call("PATCH", path, json=json, headers=headers, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("DELETE", path, **kwargs)


def created(response):
    assert response.status_code == 201, response.get_json()
    return response.get_json()


class World:
    """A fire agency hosting joint training for a police department and an EMS service."""

    def __init__(self, admin):
        self.admin = admin
        self.anonymous = admin.as_(None)
        self.fire = created(
            admin.post(
                "/agencies",
                json={
                    "name": "Riverton Fire Department",
                    "code": "RFD",
                    "kind": "fire",
                    "state": "IL",
                    "timezone": "America/Chicago",
                },
            )
        )
        self.police = created(
            admin.post(
                "/agencies",
                json={
                    "name": "Riverton Police Department",
                    "code": "RPD",
                    "kind": "law",
                    "state": "IL",
                    "timezone": "America/Chicago",
                },
            )
        )
        self.ems = created(
            admin.post(
                "/agencies",
                json={
                    "name": "County EMS",
                    "code": "CEMS",
                    "kind": "ems",
                    "state": "IL",
                    "timezone": "America/Chicago",
                },
            )
        )
        self.fire_coordinator = self.user("coordinator", self.fire, "fc@rfd.test")
        self.police_coordinator = self.user("coordinator", self.police, "pc@rpd.test")
        self.ems_coordinator = self.user("coordinator", self.ems, "ec@cems.test")
        self.instructor_person = self.person(self.fire, "Ana", "Ramírez", "F-100")
        self.instructor = self.user("instructor", self.fire, "ana@rfd.test", self.instructor_person)
        self.officer_person = self.person(
            self.police, "Sean", "O'Brien", "P-7", external_ids={"state_post": "IL-55501"}
        )
        self.officer = self.user("officer", self.police, "sean@rpd.test", self.officer_person)

    def person(self, agency, first, last, employee_id, **extra):
        return created(
            self.admin.post(
                "/people",
                json={
                    "agency_id": agency["id"],
                    "first_name": first,
                    "last_name": last,
                    "employee_id": employee_id,
                    **extra,
                },
            )
        )

    @staticmethod
    def at_door(person):
        """The details taken at the door for a person created via HTTP; walk-in matching
        finds them again by agency and employee id (POST roster {"person": ...})."""
        return {key: person[key] for key in ("first_name", "last_name", "agency_id", "employee_id")}

    def user(self, role, agency, email, person=None):
        body = created(
            self.admin.post(
                "/users",
                json={
                    "email": email,
                    "role": role,
                    "agency_id": agency["id"],
                    "person_id": person["id"] if person else None,
                },
            )
        )
        return self.admin.as_(body["token"])


def assert_error(response, code):
    """A flask-smorest error body: JSON with the code, its phrase and a message."""
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == code and body["status"] and body["message"]
    return body


def stored_text():
    """Every text value in every table, to look for a token in clear."""
    for model in MODELS:
        columns = [f for f in model._meta.sorted_fields if isinstance(f, (CharField, TextField))]
        for row in model.select(*columns).dicts():
            yield from (str(v) for v in row.values() if v is not None)
        for field in model._meta.sorted_fields:  # JSON columns: their text form
            if type(field).__name__ == "JSONField":
                for (value,) in model.select(field).tuples():
                    yield repr(value)


DAY = [{"starts_at": "2026-03-07T08:00:00-06:00", "ends_at": "2026-03-07T16:00:00-06:00"}]


def fire_offering(world, instructors=None, sessions=DAY):
    """A fire-hosted offering taught by the world's instructor unless told otherwise."""
    course = created(
        world.admin.post(
            "/courses",
            json={
                "code": f"FF-{len(world.admin.get('/courses').get_json())}",
                "title": "Joint Rescue",
                "host_agency_id": world.fire["id"],
                "hours": "8",
            },
        )
    )
    ids = [world.instructor_person["id"]] if instructors is None else instructors
    return created(
        world.fire_coordinator.post(
            "/offerings",
            json={
                "course_id": course["id"],
                "location": "Station 1",
                "instructor_ids": ids,
                "sessions": sessions,
            },
        )
    )


def add(caller, offering, body):
    return caller.post(f"/offerings/{offering['id']}/roster", json=body)


def new_requirement(caller, agency, **body):
    """An agency's compliance requirement, set by `caller` through the API."""
    return created(caller.post("/requirements", json={"agency_id": agency["id"], **body}))


def walk_in(first, last, agency, **identifiers):
    """A roster body adding someone at the door: their name, their agency ({"agency_id": id}
    or {"agency": {name, kind, state}}) and any identifiers they give."""
    return {"person": {"first_name": first, "last_name": last, **agency, **identifiers}}


def trail(world, entity, entity_id):
    return world.admin.get(f"/audit?entity={entity}&entity_id={entity_id}").get_json()


def hazmat_course(world, **overrides):
    cert = created(
        world.admin.post(
            "/certifications",
            json={
                "name": "Hazmat Operations",
                "issuing_body": "State Fire Marshal",
                "validity_months": 24,
            },
        )
    )
    body = {
        "code": "HZ-OPS",
        "title": "Hazardous Materials Operations",
        "host_agency_id": world.fire["id"],
        "hours": "16",
        "min_attendance_pct": "90",
        "requires_pass": True,
        "external_ids": {"state_course": "SFM-4410"},
        "credits": [
            {"category": "state_post", "hours": "16"},
            {"category": "iso_hazmat", "hours": "8"},
        ],
        "awards": [{"certification_id": cert["id"], "requires_pass": True}],
    }
    body.update(overrides)
    return cert, world.fire_coordinator.post("/courses", json=body)


DAY_ONE = {"starts_at": "2026-04-11T08:00:00-05:00", "ends_at": "2026-04-11T16:00:00-05:00"}


DAY_TWO = {"starts_at": "2026-04-12T08:00:00-05:00", "ends_at": "2026-04-12T16:00:00-05:00"}


class Hazmat:
    """The fire agency's hazmat course, one offering, and who attended."""

    def __init__(self, world, allows_partial=False, sessions=(DAY_ONE, DAY_TWO)):
        self.world = world
        fire = world.fire_coordinator
        self.cert = created(
            fire.post(
                "/certifications",
                json={
                    "name": "Hazmat Operations",
                    "code": "HZOPS",
                    "issuing_body": "State Fire Marshal",
                    "validity_months": 24,
                },
            )
        )
        self.course = created(
            fire.post(
                "/courses",
                json={
                    "code": "HZ-OPS",
                    "title": "Hazardous Materials Operations",
                    "host_agency_id": world.fire["id"],
                    "hours": "16",
                    "min_attendance_pct": "90",
                    "requires_pass": True,
                    "allows_partial": allows_partial,
                    "credits": [
                        {"category": "state_post", "hours": "16"},
                        {"category": "nccp_national", "hours": "8"},
                    ],
                    "awards": [{"certification_id": self.cert["id"], "requires_pass": True}],
                },
            )
        )
        self.offering = self.schedule(sessions)
        self.medic = created(
            world.ems_coordinator.post(
                "/people",
                json={
                    "agency_id": world.ems["id"],
                    "first_name": "Zoë",
                    "last_name": "Nakamura-Jones",
                    "employee_id": "E-31",
                    "external_ids": {"nremt": "NR-8812"},
                },
            )
        )

    def schedule(self, sessions):
        offering = created(
            self.world.fire_coordinator.post(
                "/offerings",
                json={
                    "course_id": self.course["id"],
                    "location": "Riverton Training Ground",
                    "instructor_ids": [self.world.instructor_person["id"]],
                    "sessions": list(sessions),
                },
            )
        )
        self.offering = offering
        return offering

    @property
    def path(self):
        return f"/offerings/{self.offering['id']}"

    def attend(self, minutes_by_person, passed_by_person):
        """The instructor rosters each person at the door (by their details, matched to the
        existing record), then records their minutes and results."""
        world, instructor = self.world, self.world.instructor
        sessions = [s["id"] for s in self.offering["sessions"]]
        for person_id in minutes_by_person:
            person = world.admin.get(f"/people/{person_id}").get_json()
            response = instructor.post(
                f"{self.path}/roster", json={"person": world.at_door(person)}
            )
            assert response.status_code in (200, 201), response.get_json()
            assert (response.get_json()["person_id"], response.get_json()["matched_by"]) == (
                person_id,
                "employee_id",
            )
        rows = [
            {"person_id": pid, "session_id": sid, "minutes": m}
            for pid, minutes in minutes_by_person.items()
            for sid, m in zip(sessions, minutes, strict=True)
        ]
        assert instructor.put(f"{self.path}/attendance", json=rows).status_code == 200
        results = [
            {"person_id": pid, "passed": passed, "score": "90"}
            for pid, passed in passed_by_person.items()
        ]
        response = instructor.put(f"{self.path}/results", json=results)
        assert response.status_code == 200, response.get_json()

    def close(self, caller=None):
        response = (caller or self.world.instructor).post(f"{self.path}/close")
        assert response.status_code == 200, response.get_json()
        return {o["person_id"]: o for o in response.get_json()["outcomes"]}


LATEST = max(
    name[:-3] for name in os.listdir(MIGRATIONS_DIR) if name.endswith(".py") and name[0].isdigit()
)


def new_user(caller, headers=None, **body):
    return caller.post("/users", json=body, headers=headers)


# --- appended: joint training across agencies, for the export tests ---------------------


def joint_class(world, host, code, title, hours, day, attendees, **course):
    """A class `host` (an agency) ran on `day` (YYYY-MM-DD, 08:00-16:00 Chicago) with
    `attendees` (people of any agency), closed by an admin: its completions (and the awards
    of `course["awards"]`) are issued. Returns the course, offering and close outcomes."""
    admin = world.admin
    course = created(
        admin.post(
            "/courses",
            json={"code": code, "title": title, "host_agency_id": host["id"], "hours": hours}
            | course,
        )
    )
    session = {"starts_at": f"{day}T08:00:00-05:00", "ends_at": f"{day}T16:00:00-05:00"}
    offering = created(
        admin.post(
            "/offerings",
            json={"course_id": course["id"], "location": "Range 2", "sessions": [session]},
        )
    )
    path = f"/offerings/{offering['id']}"
    for person in attendees:
        response = admin.post(f"{path}/roster", json={"person_id": person["id"]})
        assert response.status_code in (200, 201), response.get_json()
    (session_id,) = [s["id"] for s in offering["sessions"]]
    minutes = [{"person_id": p["id"], "session_id": session_id, "minutes": 480} for p in attendees]
    assert admin.put(f"{path}/attendance", json=minutes).status_code == 200
    results = [{"person_id": p["id"], "passed": True, "score": "88"} for p in attendees]
    assert admin.put(f"{path}/results", json=results).status_code == 200
    response = admin.post(f"{path}/close")
    assert response.status_code == 200, response.get_json()
    return course, offering, response.get_json()["outcomes"]


# --- a real server under concurrent requests -------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with several worker processes on 127.0.0.1, on the test's own database,
    started as `make run` starts it (gunicorn.conf.py, bind and worker count from the
    environment), logging which worker answered each request. `app` names another WSGI
    entry point (tests.pausing_wsgi:app for the crash tests)."""

    def __init__(
        self, database_url, log_path, workers=4, environment=None, threads=4, app="wsgi:app"
    ):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        gunicorn = str(gunicorn) if gunicorn.exists() else shutil.which("gunicorn")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        settings = {
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_TIMEOUT": "60",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
        }
        if threads:  # PostgreSQL's 100 connections are shared by both test processes' servers
            settings["GUNICORN_THREADS"] = str(threads)
        self.process = subprocess.Popen(
            [
                gunicorn,
                "--config",
                "gunicorn.conf.py",
                "--access-logformat",
                "answered-by %(p)s %(s)s %(U)s",
                app,
            ],
            cwd=Path(__file__).resolve().parents[1],
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                **settings,
                **(environment or {}),
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        # no proxy may stand between the test and 127.0.0.1
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.wait_ready(workers)

    def ready(self):
        """The worker processes that have loaded the app (gunicorn.conf.py says so)."""
        return set(re.findall(r"Worker ready \(pid: (\d+)\)", self.log(None)))

    def wait_ready(self, count, besides=()):
        """Wait until `count` workers not in `besides` are ready and the server answers."""
        deadline = time.monotonic() + 90  # a loaded CI machine boots workers slowly
        while len(self.ready() - set(besides)) < count or self.call("GET", "/health")[0] != 200:
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, "gunicorn did not answer in 90 s\n" + self.log()
            time.sleep(0.1)

    def workers(self, path_start):
        """The worker processes that answered requests whose path starts so."""
        return set(re.findall(rf"answered-by <(\d+)> \d+ {re.escape(path_start)}", self.log(None)))

    def request(self, method, path, token=None, body=None, headers=None, timeout=60):
        """(status, headers, JSON body) of one call; (None, None, None) if nothing answered
        within `timeout` seconds."""
        request = urllib.request.Request(
            self.base + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return (
                    response.status,
                    dict(response.headers),
                    json.loads(response.read() or b"null"),
                )
        except urllib.error.HTTPError as error:
            text = error.read()
            try:
                return error.code, dict(error.headers), json.loads(text)
            except ValueError:
                return error.code, dict(error.headers), text.decode(errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, None, None

    def call(self, method, path, token=None, body=None, headers=None):
        """(status, JSON body) of one call."""
        status, _, answer = self.request(method, path, token, body, headers)
        return status, answer

    def at_once(self, calls):
        """Send every (method, path, token, body, headers) call at the same moment, each from
        its own thread; return the (status, body) answers in order."""
        start = threading.Barrier(len(calls), timeout=30)

        def one(call):
            start.wait()
            return self.call(*call)

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(one, calls, timeout=120))

    def log(self, tail=4000):
        self._log.flush()
        text = Path(self.log_path).read_text()
        return text[-tail:] if tail else text

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self._log.close()


# --- appended: open classes, registrations and calendars --------------------------------

# A week after the US clocks go forward (2027-03-14): Chicago is on CDT (-05:00).
OPEN_DAYS = (
    {"starts_at": "2027-03-20T08:00:00-05:00", "ends_at": "2027-03-20T16:00:00-05:00"},
    {"starts_at": "2027-03-21T08:00:00-05:00", "ends_at": "2027-03-21T16:00:00-05:00"},
)


class OpenClass:
    """The fire department's hazmat class, published to its partners (the police and EMS);
    a 911 dispatch agency that is no partner; people of each agency to register."""

    def __init__(self, world, capacity=20, reserved=5, sessions=OPEN_DAYS, **offering):
        self.world = world
        admin, fire = world.admin, world.fire_coordinator
        self.dispatch = created(
            admin.post(
                "/agencies",
                json={
                    "name": "Riverton 911",
                    "code": "R911",
                    "kind": "dispatch",
                    "state": "IL",
                    "timezone": "America/Chicago",
                },
            )
        )
        self.dispatch_coordinator = world.user("coordinator", self.dispatch, "dc@r911.test")
        response = fire.put(
            f"/agencies/{world.fire['id']}/partners",
            json={"partner_ids": [world.police["id"], world.ems["id"]]},
        )
        assert response.status_code == 200, response.get_json()
        self.cert = created(
            fire.post(
                "/certifications",
                json={"name": "Hazmat Operations", "issuing_body": "SFM", "validity_months": 24},
            )
        )
        self.course = created(
            fire.post(
                "/courses",
                json={
                    "code": "HZ-OPS",
                    "title": "Hazardous Materials Operations",
                    "description": "Decontamination and product control.",
                    "host_agency_id": world.fire["id"],
                    "hours": "16",
                    "credits": [{"category": "state_post", "hours": "16"}],
                    "awards": [{"certification_id": self.cert["id"]}],
                },
            )
        )
        body = {
            "course_id": self.course["id"],
            "location": "Riverton Training Ground",
            "instructor_ids": [world.instructor_person["id"]],
            "sessions": list(sessions),
            "visibility": "partners",
            "capacity": capacity,
            "reserved_seats": [{"agency_id": world.police["id"], "seats": reserved}]
            if reserved
            else [],
        }
        self.offering = created(fire.post("/offerings", json=body | offering))
        self.path = f"/offerings/{self.offering['id']}"
        self.medic = world.person(world.ems, "Zoë", "Nakamura-Jones", "E-31")
        self.medic_user = world.user("officer", world.ems, "zoe@cems.test", self.medic)
        self.numbers = {}

    def people(self, agency, count, prefix):
        """`count` new people of `agency` (by the admin), employee ids prefix-1, prefix-2..."""
        start = self.numbers.get(prefix, 0)
        self.numbers[prefix] = start + count
        return [
            self.world.person(agency, "Pat", f"{prefix} {n}", f"{prefix}-{n}")
            for n in range(start + 1, start + count + 1)
        ]

    def register(self, caller, person):
        return caller.post(f"{self.path}/registrations", json={"person_id": person["id"]})


# --- appended: a real webhook receiver --------------------------------------------------


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 (a thread) keeping every POST it gets (headers and raw
    body); it answers 500 to the next `fail` requests, then `status` (a 3xx with a Location
    pointing back at itself). With an ssl `context` it speaks HTTPS, as `host`."""

    def __init__(self, context=None, host="127.0.0.1"):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests, self.fail, self.status = [], 0, 204
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    failing = receiver.fail > 0
                    receiver.fail -= 1 if failing else 0
                    code = 500 if failing else receiver.status
                self.send_response(code)
                if 300 <= code < 400:
                    self.send_header("Location", receiver.url + "/moved")
                answer = b"receiver is down" if failing else b""
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "https" if context else "http"
        if context:
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{scheme}://{host}:{self.server.server_address[1]}/hooks/muster"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self):
        return [json.loads(r["body"]) for r in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
