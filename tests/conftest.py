"""Every test starts from a fresh database: SQLite by default, PostgreSQL when
MUSTER_TEST_POSTGRES names a server (make test runs the suite on both)."""

import datetime
import os
import shutil
from urllib.parse import urlparse

import psycopg2
import pytest

from database import db, migrate, open_database
from factory import create_app
from models import MODELS
from rules import clock
from tests.helpers import (
    Caller,
    Hazmat,
    World,
)

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


@pytest.fixture
def anonymous(app):
    return Caller(app.test_client())


@pytest.fixture
def admin(app, anonymous):
    result = app.test_cli_runner().invoke(args=["create-admin", "chief@muster.test"])
    assert result.exit_code == 0, result.output
    return anonymous.as_(result.output.strip().splitlines()[-1])


@pytest.fixture
def world(admin):
    return World(admin)


@pytest.fixture
def calendar(monkeypatch):
    """Set today's date for statuses and reports."""

    def set_today(day):
        monkeypatch.setattr(clock, "today", lambda timezone=None: day)

    set_today(datetime.date(2026, 7, 1))
    return set_today


@pytest.fixture
def hazmat(world, calendar):
    return Hazmat(world)
