"""A class to measure writes and certificates on: an app on a fresh database (SQLite or
PostgreSQL), a host agency, a course that awards a certification, and offerings whose
roster, attendance and results are loaded in bulk (set-up, never measured)."""

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore", category=UserWarning, module="apispec")

from database import db, migrate  # noqa: E402
from factory import create_app  # noqa: E402
from models import Attendance, Person, Result, RosterEntry, Session  # noqa: E402
from operations.users import create_user  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHUNK = 1000
# Sessions of the classes that are measured closing: ended, so every minute counts.
PAST = datetime.datetime(2026, 3, 10, 14, 0)
# The class people register for: still to come whenever the bench runs.
FUTURE = ("2031-03-20T08:00:00-05:00", "2031-03-20T16:00:00-05:00")


class Classroom:
    """The app, an admin's token and the host agency's course, on database `url`."""

    def __init__(self, url):
        if db.obj is not None:
            db.close()
        self.url = url
        self.app = create_app({"DATABASE_URL": url})
        migrate()
        with self.app.app_context():
            _, self.token, _ = create_user(
                {"email": "bench@muster.example", "role": "admin"}, None, None
            )
        self.client = self.app.test_client()
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.host = self.call(
            "POST",
            "/agencies",
            {
                "name": "State Fire Academy",
                "code": "SFA",
                "kind": "fire",
                "state": "IL",
                "timezone": "America/Chicago",
            },
        )
        self.certification = self.call(
            "POST",
            "/certifications",
            {
                "name": "Hazmat Operations",
                "code": "HZOPS",
                "issuing_body": "State Fire Marshal",
                "validity_months": 24,
            },
        )
        self.course = self.call(
            "POST",
            "/courses",
            {
                "code": "HZ-OPS",
                "title": "Hazardous Materials Operations",
                "host_agency_id": self.host["id"],
                "hours": "16",
                "min_attendance_pct": "90",
                "requires_pass": True,
                "external_ids": {"state_course": "SFM-4410"},
                "credits": [
                    {"category": "state_post", "hours": "16"},
                    {"category": "iso_hazmat", "hours": "8"},
                ],
                "awards": [{"certification_id": self.certification["id"], "requires_pass": True}],
            },
        )
        self.agencies = 0

    def call(self, method, path, body=None, status=(200, 201)):
        response = self.client.open(
            "/api/v1" + path, method=method, json=body, headers=self.headers
        )
        assert response.status_code in status, (path, response.get_json())
        return response.get_json()

    def agency(self):
        """A new home agency for people."""
        self.agencies += 1
        return self.call(
            "POST",
            "/agencies",
            {
                "name": f"County Department {self.agencies}",
                "code": f"CD{self.agencies}",
                "kind": "law",
                "state": "IL",
                "timezone": "America/Chicago",
            },
        )["id"]

    def people(self, count, agency_id=None):
        """`count` new people of a new agency (or `agency_id`); their ids in order."""
        agency_id = agency_id or self.agency()
        now = datetime.datetime(2026, 1, 1)
        with db.atomic():
            first = (Person.select(Person.id).order_by(Person.id.desc()).scalar() or 0) + 1
            for start in range(0, count, CHUNK):
                Person.insert_many(
                    [
                        {
                            "agency": agency_id,
                            "first_name": "Pat",
                            "last_name": f"Officer {n:05d}",
                            "employee_id": f"B{agency_id}-{n:05d}",
                            "external_ids": {},
                            "created_at": now,
                            "updated_at": now,
                        }
                        for n in range(start, min(start + CHUNK, count))
                    ]
                ).execute()
        return [
            pid
            for (pid,) in Person.select(Person.id)
            .where(Person.agency == agency_id, Person.id >= first)
            .order_by(Person.id)
            .tuples()
        ]

    def offering(self, sessions=2, start=PAST, **extra):
        """An offering of the course with `sessions` eight-hour days from `start`."""
        days = [
            {
                "starts_at": (start + datetime.timedelta(days=d)).isoformat() + "Z",
                "ends_at": (start + datetime.timedelta(days=d, hours=8)).isoformat() + "Z",
            }
            for d in range(sessions)
        ]
        body = {"course_id": self.course["id"], "location": "Academy", "sessions": days}
        return self.call("POST", "/offerings", body | extra)

    def enrolled_class(self, people, sessions=2, attended=True):
        """(offering, person ids): `people` enrolled, present every minute of every session
        and passed when `attended`, loaded with insert_many."""
        offering = self.offering(sessions)
        person_ids = self.people(people)
        now = datetime.datetime(2026, 3, 1)
        session_ids = [s["id"] for s in offering["sessions"]]
        with db.atomic():
            for start in range(0, people, CHUNK):
                chunk = person_ids[start : start + CHUNK]
                RosterEntry.insert_many(
                    [
                        {
                            "offering": offering["id"],
                            "person": p,
                            "status": "enrolled",
                            "created_at": now,
                            "updated_at": now,
                        }
                        for p in chunk
                    ]
                ).execute()
                if not attended:
                    continue
                for session_id in session_ids:
                    Attendance.insert_many(
                        [attendance_row(offering["id"], session_id, p, 480) for p in chunk]
                    ).execute()
                Result.insert_many(
                    [
                        {
                            "offering": offering["id"],
                            "person": p,
                            "passed": True,
                            "score": 90,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for p in chunk
                    ]
                ).execute()
        return offering, person_ids

    def close(self):
        db.close()


def attendance_row(offering_id, session_id, person_id, minutes):
    now = datetime.datetime(2026, 3, 12)
    return {
        "offering": offering_id,
        "session": session_id,
        "person": person_id,
        "minutes": minutes,
        "check_in": None,
        "check_out": None,
        "created_at": now,
        "updated_at": now,
    }


def session_ids(offering_id):
    return [
        s
        for (s,) in Session.select(Session.id)
        .where(Session.offering == offering_id)
        .order_by(Session.starts_at)
        .tuples()
    ]


# --- a real gunicorn -----------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn on 127.0.0.1 as `make run` starts it (gunicorn.conf.py when present:
    threaded workers), serving `app` on `url` with `workers` processes."""

    def __init__(self, url, app="wsgi:app", workers=2, environment=None):
        self.port = free_port()
        config = ["--config", "gunicorn.conf.py"] if os.path.exists(_conf()) else []
        settings = {
            "DATABASE_URL": url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            **(environment or {}),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                *config,
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                app,
            ],
            cwd=ROOT,
            env={**os.environ, **settings},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.workers = workers
        self._wait()

    def _wait(self, timeout=30):
        import http.client

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn stopped"
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/api/v1/health")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}")

    def rss_mib(self):
        """The resident memory of each worker process, in MiB."""
        found = {}
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        for pid in children:
            try:
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            found[int(pid)] = int(line.split()[1]) / 1024
            except OSError:
                pass
        return found

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _conf():
    return os.path.join(ROOT, "gunicorn.conf.py")
