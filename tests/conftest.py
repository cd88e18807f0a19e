"""Every test starts from a fresh database: SQLite by default, PostgreSQL when
MUSTER_TEST_POSTGRES names a server (make test runs the suite on both)."""

import os
import shutil
from urllib.parse import urlparse

import psycopg2
import pytest

from database import db, migrate, open_database
from factory import create_app
from models import MODELS

POSTGRES = os.environ.get("MUSTER_TEST_POSTGRES")  # e.g. postgresql://postgres@127.0.0.1:54329/


def _postgres_admin():
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


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """Migrate once per worker; each test then starts from a copy (SQLite) or a truncate."""
    if POSTGRES:
        # A database of this run and worker's own, so parallel runs never share one.
        name = f"muster_test_{os.getpid()}_{worker_id}"
        admin = _postgres_admin()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = urlparse(POSTGRES)._replace(path=f"/{name}").geturl()
        open_database(url)
        migrate()
        db.close()
        yield url
        if not db.is_closed():
            db.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        return
    path = tmp_path_factory.mktemp("template") / "muster.db"
    open_database(f"sqlite:///{path}")
    migrate()
    db.close()
    yield str(path)


@pytest.fixture
def app(database_template, tmp_path):
    if POSTGRES:
        url = database_template
        open_database(url)
        db.connect(reuse_if_open=True)
        tables = ", ".join(f'"{m._meta.table_name}"' for m in MODELS)
        db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        db.close()
    else:
        path = tmp_path / "muster.db"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
    application = create_app({"DATABASE_URL": url, "TESTING": True})
    yield application
    if not db.is_closed():
        db.close()


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


@pytest.fixture
def anonymous(app):
    return Caller(app.test_client())


@pytest.fixture
def admin(app, anonymous):
    result = app.test_cli_runner().invoke(args=["create-admin", "chief@muster.test"])
    assert result.exit_code == 0, result.output
    return anonymous.as_(result.output.strip().splitlines()[-1])


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


@pytest.fixture
def world(admin):
    return World(admin)
