"""Setting up a server from the command line: init-db is idempotent, create-admin prints a
working token, demo data loads once."""

import os
import subprocess
import sys

from peewee import fn

from models import MODELS, Agency, ApiToken, Person, User
from tests.helpers import (
    LATEST,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def flask(*args, database_url):
    """Run `flask --app wsgi ...` as an operator would, in a fresh process."""
    env = dict(os.environ, DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_init_db_creates_the_schema_then_applies_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'instance' / 'muster.db'}"
    first = flask("init-db", database_url=url)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.strip().splitlines()
    assert lines[-1] == f"schema version {LATEST}"
    assert "applied 0001_initial" in lines

    second = flask("init-db", database_url=url)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().splitlines() == [f"schema version {LATEST}"]
    assert (tmp_path / "instance" / "muster.db").exists()


def test_init_db_on_a_current_database_applies_nothing(app):
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == [f"schema version {LATEST}"]


def counts():
    return {model.__name__: model.select(fn.COUNT(model.id)).scalar() for model in MODELS}


def printed_tokens(output):
    tokens = {}
    for line in output.splitlines():
        fields = line.split()
        if fields and fields[0] in ("admin", "coordinator", "instructor", "officer"):
            tokens[fields[0]] = fields[-1]
    return tokens


def test_demo_data_loads_once_and_prints_a_working_token_per_role(app, anonymous):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        loaded = counts()
        kinds = sorted(a.kind for a in Agency.select())
        assert kinds == ["dispatch", "ems", "fire", "law"]
        assert Agency.get(Agency.kind == "fire").timezone == "America/Chicago"
        assert Person.select().where(Person.external_ids != {}).count() >= 4

    second = runner.invoke(args=["demo-data"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        after = counts()
    # Only new tokens (and their audit entries) are added the second time.
    assert {k: v for k, v in after.items() if k not in ("ApiToken", "AuditEntry")} == {
        k: v for k, v in loaded.items() if k not in ("ApiToken", "AuditEntry")
    }
    assert after["ApiToken"] == loaded["ApiToken"] + 4

    tokens, stale = printed_tokens(second.output), printed_tokens(first.output)
    assert sorted(tokens) == ["admin", "coordinator", "instructor", "officer"]
    for token in stale.values():
        assert anonymous.as_(token).get("/users/me").status_code == 401
    assert second.output.strip().splitlines()[-1].startswith("Try:")
    for role, token in tokens.items():
        me = anonymous.as_(token).get("/users/me")
        assert me.status_code == 200 and me.get_json()["role"] == role

    instructor = anonymous.as_(tokens["instructor"])
    offerings = instructor.get("/offerings?mine=true").get_json()
    assert len(offerings) == 1
    offering = offerings[0]
    assert offering["status"] == "scheduled" and len(offering["sessions"]) == 2
    course = instructor.get(f"/courses/{offering['course_id']}").get_json()
    assert {c["category"] for c in course["credits"]} == {"state_post", "iso_hazmat"}
    assert course["awards"] and course["hours"] == "16.00"
    officer = anonymous.as_(tokens["officer"])
    assert len(officer.get("/people").get_json()) == 1
    with app.app_context():
        assert User.select().count() == 4
        assert ApiToken.select().where(ApiToken.revoked_at.is_null()).count() == 4


def test_create_admin_prints_a_working_token_as_its_last_line(app, anonymous):
    result = app.test_cli_runner().invoke(args=["create-admin", "Boss@Muster.test"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("mst_") and " " not in token
    me = anonymous.as_(token).get("/users/me")
    assert me.status_code == 200
    assert me.get_json()["email"] == "boss@muster.test"
    assert me.get_json()["role"] == "admin"
    # Running it again gives a second token; both work.
    again = app.test_cli_runner().invoke(args=["create-admin", "boss@muster.test"])
    second = again.output.strip().splitlines()[-1]
    assert second != token
    assert anonymous.as_(second).get("/users/me").status_code == 200
    assert anonymous.as_(token).get("/users/me").status_code == 200


def test_create_admin_refuses_an_existing_non_admin(app, world):
    result = app.test_cli_runner().invoke(args=["create-admin", "fc@rfd.test"])
    assert result.exit_code != 0
    assert "coordinator" in result.output


def test_create_admin_is_audited(world):
    entries = world.admin.get("/audit?entity=user").get_json()
    assert any(
        e["after"]["email"] == "chief@muster.test" and e["after"]["role"] == "admin"
        for e in entries
    )


# --- appended: personnel import from the command line ---------------------------------


def test_import_people_dry_runs_then_imports_a_file_once(world, tmp_path):
    path = tmp_path / "personnel.csv"
    path.write_text(
        "first_name,last_name,employee_id,email\n"
        "Dana,Kowalski,P-20,dana@rpd.test\n"
        "Luis,Ortega,P-21,luis@rpd.test\n"
    )
    runner = world.admin.client.application.test_cli_runner()
    dry = runner.invoke(args=["import-people", "RPD", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[-1] == (
        "dry run, nothing written: 2 created, 0 updated, 0 unchanged, 0 refused"
    )
    assert "Importing" in dry.stderr  # the progress bar
    assert Person.select().where(Person.employee_id == "P-20").count() == 0
    real = runner.invoke(args=["import-people", "RPD", str(path)])
    assert real.exit_code == 0, real.output
    assert real.stdout.splitlines()[-1] == (
        "imported into RPD: 2 created, 0 updated, 0 unchanged, 0 refused"
    )
    again = runner.invoke(args=["import-people", "RPD", str(path)])
    assert again.stdout.splitlines()[-1] == (
        "imported into RPD: 0 created, 0 updated, 2 unchanged, 0 refused"
    )
    assert Person.select().where(Person.agency == world.police["id"]).count() == 3


def test_import_people_names_bad_rows_and_fails(world, tmp_path):
    path = tmp_path / "personnel.csv"
    path.write_text("first_name,last_name,employee_id,email\nDana,Kowalski,P-20,nope\n")
    runner = world.admin.client.application.test_cli_runner()
    result = runner.invoke(args=["import-people", "RPD", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "row 2, email: 'nope' is not an e-mail address.",
        "nothing imported: 0 created, 0 updated, 0 unchanged, 1 refused",
    ]
    assert Person.select().where(Person.employee_id == "P-20").count() == 0


def test_import_people_refuses_an_unknown_agency(world, tmp_path):
    path = tmp_path / "personnel.csv"
    path.write_text("employee_id\nP-1\n")
    result = world.admin.client.application.test_cli_runner().invoke(
        args=["import-people", "NOPE", str(path)]
    )
    assert result.exit_code == 1
    assert "No agency with code NOPE." in result.output
