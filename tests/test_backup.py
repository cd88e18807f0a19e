"""`flask backup` and `flask restore`: a copy taken while a writer keeps writing restores
into a fresh database equal, table by table and row by row, to the moment it was taken,
and the restored server still serves its tokens and certificates."""

import datetime
import io
import sqlite3
import threading
from urllib.parse import urlparse

import psycopg2
from PIL import Image

from database import db
from factory import create_app
from models import (
    MODELS,
    AgencyNotificationSetting,
    CheckIn,
    CheckInCode,
    ExportPush,
    NotificationSetting,
    SigningKey,
    WebhookAttempt,
)
from notifications.worker import fan_out
from tests.conftest import POSTGRES, _postgres_admin
from tests.helpers import OPEN_DAYS, Caller, created

WEBHOOK_URL = "https://93.184.216.34/hooks/muster"  # a public address: no DNS needed
WRITER_TABLES = {"person", "audit_entry"}  # what the writer thread adds while the copy runs


def _png():
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _ok(response, *codes):
    assert response.status_code in (codes or (200, 201)), response.get_data(as_text=True)
    return response.get_json()


def build_records(app, world, hazmat):
    """Records of every kind: a closed class (attendance, results, completions, awards,
    attempts), an open class with a registration, a logo, evidence, a webhook with a try,
    settings, a calendar feed, an idempotent create, a verify count; returns what the
    restored server is asked for afterwards."""
    admin, fire, police = world.admin, world.fire_coordinator, world.police_coordinator
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480], hazmat.medic["id"]: [480, 0]}, {officer: True})
    hazmat.close()
    _ok(fire.put(f"/agencies/{world.fire['id']}/logo", data=_png(), content_type="image/png"))
    _ok(
        fire.put(
            f"/agencies/{world.fire['id']}/partners", json={"partner_ids": [world.police["id"]]}
        )
    )
    upcoming = created(
        fire.post(
            "/offerings",
            json={
                "course_id": hazmat.course["id"],
                "location": "Riverton Training Ground",
                "instructor_ids": [world.instructor_person["id"]],
                "sessions": list(OPEN_DAYS),
                "visibility": "partners",
                "capacity": 10,
                "reserved_seats": [{"agency_id": world.police["id"], "seats": 2}],
            },
        )
    )
    _ok(
        world.officer.post(
            f"/offerings/{upcoming['id']}/registrations", json={"person_id": officer}
        )
    )
    requirement = {"agency_id": world.police["id"], "name": "CE", "kind": "hours", "hours": "40"}
    _ok(police.post("/requirements", json=requirement | {"period_months": 24}))
    submission = {
        "person_id": officer,
        "title": "Crisis Intervention",
        "provider": "State Police Academy",
        "completed_on": "2025-10-04",
        "hours": "7.5",
    }
    submission = created(world.officer.post("/submissions", json=submission))
    evidence = {"file": (io.BytesIO(b"%PDF-1.4 certificate"), "certificate.pdf")}
    path = f"/submissions/{submission['id']}/evidence"
    _ok(world.officer.put(path, data=evidence, content_type="multipart/form-data"))
    profile = {"format": "csv", "preset": "totara-course", "options": {"person_ref": "email"}}
    _ok(police.put(f"/agencies/{world.police['id']}/export-profile", json=profile))
    hook = created(
        police.post(
            f"/agencies/{world.police['id']}/webhooks", json={"url": WEBHOOK_URL, "events": ["*"]}
        )
    )
    me = _ok(world.officer.get("/users/me"))
    _ok(world.officer.post(f"/users/{me['id']}/calendar-feeds", json={"kind": "personal"}))
    body = {"agency_id": world.ems["id"], "first_name": "Idem", "last_name": "Potent"}
    created(admin.post("/people", json=body, headers={"Idempotency-Key": "backup-test-1"}))
    (completion,) = _ok(admin.get(f"/completions?person_id={officer}"))
    _ok(world.anonymous.get(f"/verify/{completion['verify_code']}"))
    with app.app_context():
        fan_out(datetime.datetime.now(datetime.UTC).replace(tzinfo=None))
        _fill_the_rest(world, hazmat, hook["id"])
    return completion["verify_code"]


def _fill_the_rest(world, hazmat, hook_id):
    """The rows no quick HTTP call makes here (a live session's check-in, an LRS push, a
    signing key, a delivery try), written as their code would leave them."""
    from models import Delivery, Session, User

    now = datetime.datetime(2026, 7, 1, 12, 0)
    officer_user = User.get(User.email == "sean@rpd.test")
    NotificationSetting.create(user=officer_user.id, mode="digest", muted_kinds=["award.issued"])
    AgencyNotificationSetting.create(agency=world.police["id"], expiry_offsets=[60, 7])
    offering = hazmat.offering["id"]
    CheckInCode.create(offering=offering, code="K7Q2-MX9P")
    session = Session.select().where(Session.offering == offering).first()
    CheckIn.create(
        offering=offering,
        session=session,
        person=world.officer_person["id"],
        user=officer_user.id,
        checked_in_at=now,
    )
    ExportPush.create(agency=world.police["id"], cursor=now, pushes=3, last_result={"sent": 2})
    SigningKey.create(agency=world.fire["id"], did="did:key:z6Mk", sealed_seed="sealed")
    delivery = Delivery.select().where(Delivery.channel == "webhook").first()
    WebhookAttempt.create(
        delivery=delivery, endpoint=hook_id, response_code=503, error="Service Unavailable"
    )


class Writer(threading.Thread):
    """Creates people one by one (each a person and its audit entry in one transaction)
    until stopped, then makes `tail` more, so some are surely after the copy."""

    def __init__(self, app, token, agency_id, tail=3):
        super().__init__(daemon=True)
        self.caller = Caller(app.test_client(), token)
        self.agency_id, self.tail = agency_id, tail
        self.started, self.stop = threading.Event(), threading.Event()
        self.made, self.errors = 0, []

    def run(self):
        try:
            extra = None
            while extra is None or extra < self.tail:
                body = {
                    "agency_id": self.agency_id,
                    "first_name": "Writer",
                    "last_name": f"No{self.made}",
                    "employee_id": f"W-{self.made}",
                }
                created(self.caller.post("/people", json=body))
                self.made += 1
                if self.made >= 3:
                    self.started.set()
                if self.stop.is_set():
                    extra = (extra or 0) + 1
        except Exception as error:  # reported by the test, not lost in the thread
            self.errors.append(error)
            self.started.set()
        finally:
            db.close()


# --- the databases, read apart from the app ---------------------------------------------


def fresh_url(tmp_path, name):
    if not POSTGRES:
        return f"sqlite:///{tmp_path / (name + '.db')}"
    admin = _postgres_admin()
    database = f"{urlparse(POSTGRES).path.strip('/') or 'muster'}_{name}_{id(tmp_path)}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    return urlparse(POSTGRES)._replace(path=f"/{database}").geturl()


def drop(url):
    if POSTGRES:
        admin = _postgres_admin()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path[1:]}" WITH (FORCE)')
        admin.close()


def connect(url):
    if url.startswith("sqlite:///"):
        return sqlite3.connect(url[len("sqlite:///") :])
    return psycopg2.connect(url)


def plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def every_table(url):
    """{table: {primary key: row}} for every model's table."""
    connection = connect(url)
    try:
        tables = {}
        for model in MODELS:
            table, key = model._meta.table_name, model._meta.primary_key.column_name
            cursor = connection.cursor()
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{key}"')
            columns = [c[0] for c in cursor.description]
            position = columns.index(key)
            tables[table] = {
                row[position]: tuple(plain(v) for v in row) for row in cursor.fetchall()
            }
        return tables
    finally:
        connection.close()


def test_a_backup_taken_while_writing_restores_every_row(app, world, hazmat, tmp_path):
    verify_code = build_records(app, world, hazmat)
    before = every_table(app.config["DATABASE_URL"])
    empty = sorted(table for table, rows in before.items() if not rows)
    assert empty == [], f"the world leaves these tables empty: {empty}"

    writer = Writer(app, world.admin.token, world.ems["id"])
    writer.start()
    assert writer.started.wait(60)
    path = tmp_path / "muster.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    writer.stop.set()
    writer.join(60)
    assert not writer.errors and not writer.is_alive(), writer.errors
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"backed up to {path} (")
    source = every_table(app.config["DATABASE_URL"])
    db.close()

    target = fresh_url(tmp_path, "restored")
    try:
        restored_app = create_app({"DATABASE_URL": target, "TESTING": True})
        result = restored_app.test_cli_runner().invoke(args=["restore", str(path)])
        assert result.exit_code == 0, result.output
        restored = every_table(target)

        # Every table as it was at one instant: each restored row is the source's row, and
        # the only rows missing are people (with their audit entries) written after it.
        for table, rows in source.items():
            assert {k: rows[k] for k in restored[table] if k in rows} == restored[table], table
            assert set(restored[table]) <= set(rows), table
            if table not in WRITER_TABLES:
                assert restored[table] == rows, table
        people, audit = restored["person"], restored["audit_entry"]
        written = {k for k, row in people.items() if k not in before["person"]}
        assert 3 <= len(written) < writer.made
        entity_id = columns_of(target, "audit_entry").index("entity_id")
        logged = {int(row[entity_id]) for k, row in audit.items() if k not in before["audit_entry"]}
        assert logged == written  # no person without its audit entry, nor the reverse
        assert max(people) < min(set(source["person"]) - set(people))

        # The restored server serves: the admin's token, the certificate's verify code.
        client = Caller(restored_app.test_client(), world.admin.token)
        assert client.get("/users/me").get_json()["email"] == "chief@muster.test"
        assert client.as_(None).get(f"/verify/{verify_code}").get_json()["status"] == "valid"
    finally:
        if not db.is_closed():
            db.close()
        drop(target)


def columns_of(url, table):
    connection = connect(url)
    try:
        cursor = connection.cursor()
        cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')
        return [c[0] for c in cursor.description]
    finally:
        connection.close()


def test_restore_refuses_to_overwrite_records_unless_forced(app, world, tmp_path):
    path = tmp_path / "muster.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(path)]).exit_code == 0
    created(
        world.admin.post(
            "/people",
            json={"agency_id": world.ems["id"], "first_name": "Late", "last_name": "Comer"},
        )
    )
    db.close()
    refused = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert refused.exit_code == 1
    assert "already holds" in refused.output and "--force" in refused.output
    assert world.admin.get("/people?q=Comer").get_json()[0]["last_name"] == "Comer"
    db.close()
    forced = app.test_cli_runner().invoke(args=["restore", "--force", str(path)])
    assert forced.exit_code == 0, forced.output
    assert world.admin.get("/people?q=Comer").get_json() == []


def test_a_file_that_is_no_backup_is_refused(app, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert f"{path} is not a Muster backup" in result.output
    missing = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "none.backup")])
    assert "There is no backup file at" in missing.output
