"""Every test starts from a fresh database: SQLite by default, PostgreSQL when
MUSTER_TEST_POSTGRES names a server (make test runs the suite on both)."""

import datetime
import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
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


def empty_tables():
    """Empty every table of the open PostgreSQL database, ids restarting at 1."""
    db.connect(reuse_if_open=True)
    tables = ", ".join(f'"{m._meta.table_name}"' for m in MODELS)
    db.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    db.close()


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
        empty_tables()
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
    """Set today's date for statuses and reports; the clock reads the end of that day."""

    def set_today(day):
        monkeypatch.setattr(clock, "today", lambda timezone=None: day)
        late = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        monkeypatch.setattr(clock, "now", lambda: late)

    set_today(datetime.date(2026, 7, 1))
    return set_today


@pytest.fixture
def hazmat(world, calendar):
    return Hazmat(world)


# --- real peers for the export tests (npm packages in tests/peers, an in-memory LRS) ---

PEERS = Path(__file__).resolve().parent / "peers"


@pytest.fixture(scope="session")
def peers() -> Path:
    """tests/peers with its pinned packages installed (npm ci, no install scripts)."""
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.fail("Node.js and npm are needed for the export peers (apt-get install nodejs npm)")
    # `make test` installs them first; a bare pytest -n N installs once, the others wait.
    with open(PEERS / ".install-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PEERS / "node_modules" / ".package-lock.json").exists():
            subprocess.run(
                ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=PEERS,
                check=True,
                capture_output=True,
                timeout=600,
            )
    return PEERS


def run_peer(peers: Path, script: str, payload) -> tuple[int, list[dict]]:
    """Runs a node peer script on JSON input; its exit code and its JSON lines."""
    done = subprocess.run(
        ["node", script],
        cwd=peers,
        input=json.dumps(payload).encode(),
        capture_output=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
    if not lines:
        raise AssertionError(f"{script} said nothing: {done.stderr.decode()[-2000:]}")
    return done.returncode, lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def lrs(peers, tmp_path_factory):
    """Learning Locker's xapi-statements, in memory, on 127.0.0.1; yields its xAPI endpoint."""
    port, workdir = free_port(), tmp_path_factory.mktemp("lrs")
    env = {
        **os.environ,
        "EXPRESS_PORT": str(port),
        "EXPRESS_MORGAN_DIRECTORY": str(workdir / "access-logs"),
        "FS_LOCAL_STORAGE_DIR": str(workdir / "storage"),
        "NODE_PATH": str(peers / "node_modules"),
        # It also dials MongoDB and Redis it never uses here; only say so once.
        "MONGO_URL": f"mongodb://127.0.0.1:{free_port()}/unused",
    }
    log = open(workdir / "lrs.log", "wb")
    process = subprocess.Popen(
        ["node", str(peers / "lrs.cjs")], cwd=workdir, env=env, stdout=log, stderr=log
    )
    endpoint = f"http://127.0.0.1:{port}/xAPI"
    deadline = time.monotonic() + 60
    while True:
        try:
            about = urllib.request.Request(endpoint + "/about")
            with urllib.request.urlopen(about, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise AssertionError((workdir / "lrs.log").read_text()[-3000:])
        time.sleep(0.2)
    yield endpoint
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
