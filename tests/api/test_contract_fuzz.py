"""Every operation of the OpenAPI document, fuzzed from the document itself (schemathesis):
schema-valid and schema-invalid requests, as an admin and as an officer, on a small world.

No request may end in a 5xx, every answer must be one the document promises, a request the
document calls valid must not be refused (400/422) and one it calls invalid must be.
MUSTER_FUZZ_EXAMPLES raises the examples per operation; MUSTER_FUZZ_REPORT names a file
each worker appends its outcome counts to (one JSON line per worker).
"""

import collections
import json
import os
import re
import shutil
from urllib.parse import urlparse

import hypothesis.strategies as st
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from database import db, open_database
from factory import create_app
from tests.conftest import POSTGRES, _postgres_admin, empty_tables
from tests.helpers import OPEN_DAYS, Caller, Hazmat, World, created


def _document():
    """The served OpenAPI document, read from an app on an in-memory database never opened."""
    app = create_app({"DATABASE_URL": "sqlite:///", "TESTING": True})
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    db.close()
    return document


EXAMPLES = int(os.environ.get("MUSTER_FUZZ_EXAMPLES", "6"))

schema = schemathesis.openapi.from_dict(
    _document(),
    config=schemathesis.Config.from_dict(
        {
            "continue-on-failure": True,
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                # The same requests on every run: CI never fails by the luck of the draw.
                # Raise MUSTER_FUZZ_EXAMPLES locally to explore further.
                "deterministic": True,
                "database": "none",
                # The server refuses a NUL anywhere (guards.py) and says so; a header or
                # query cannot carry one the document could forbid.
                "allow-x00": False,
                # Each call carries a real token below; a generated one would be replaced.
                "with-security-parameters": False,
            },
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "checks": {
                # A schema-valid request may still meet the state of the data: an id that
                # does not exist (404), a role or scope that may not act (403), a state that
                # forbids it (409), an edit whose If-Match is stale (412). A 400 or 422 for
                # a schema-valid request is a refusal the document should have foretold.
                "positive_data_acceptance": {
                    "expected-statuses": ["2xx", "3xx", "403", "404", "409", "412"]
                },
            },
        }
    ),
)

COUNTS = collections.Counter()


# --- a small world, seeded once per worker; each call rolled back -------------------------


def _seed(app):
    """Agencies, users, people, a closed hazmat class (completions, awards), an open class
    with registrations; the callers' tokens."""
    app.config.update(WEBHOOKS_ALLOW_PRIVATE=True)  # the seeded hook's host is 127.0.0.1
    caller = Caller(app.test_client())
    result = app.test_cli_runner().invoke(args=["create-admin", "chief@muster.test"])
    admin = caller.as_(result.output.strip().splitlines()[-1])
    world = World(admin)
    hazmat = Hazmat(world)
    officer, medic = world.officer_person["id"], hazmat.medic["id"]
    hazmat.attend({officer: [480, 480], medic: [480, 480]}, {officer: True})
    hazmat.close()
    fire = world.fire_coordinator
    partners = [world.police["id"], world.ems["id"]]
    path = f"/agencies/{world.fire['id']}/partners"
    assert fire.put(path, json={"partner_ids": partners}).status_code == 200
    open_class = hazmat.schedule(OPEN_DAYS)
    response = fire.patch(f"/offerings/{open_class['id']}", json={"visibility": "partners"})
    assert response.status_code == 200, response.get_json()
    for person in (world.officer_person, world.person(world.police, "Pat", "Lee", "P-8")):
        response = world.police_coordinator.post(
            f"/offerings/{open_class['id']}/registrations", json={"person_id": person["id"]}
        )
        assert response.status_code == 201, response.get_json()
    created(
        world.fire_coordinator.post(
            f"/agencies/{world.fire['id']}/webhooks",
            json={"url": "https://127.0.0.1:9/muster", "events": ["*"]},
        )
    )
    return {"admin": admin.token, "officer": world.officer.token}


@pytest.fixture(scope="module")
def seeded(database_template, tmp_path_factory, worker_id):
    """The app on the seeded world (a database of its own), and the callers' tokens."""
    if POSTGRES:
        server = _postgres_admin()
        name = f"muster_fuzz_{os.getpid()}_{worker_id}"
        source = urlparse(database_template).path.lstrip("/")
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        url = urlparse(POSTGRES)._replace(path=f"/{name}").geturl()
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        # The worker's database holds what its last test left: each test empties it first.
        empty_tables()
    else:
        path = tmp_path_factory.mktemp("fuzz") / "seeded.db"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
        app = create_app({"DATABASE_URL": url, "TESTING": True})
    tokens = _seed(app)
    db.close()
    yield app, url, tokens
    if not db.is_closed():
        db.close()
    if POSTGRES:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.fixture
def fuzzed(seeded):
    """The app on the seeded world, and the callers' tokens."""
    app, url, tokens = seeded
    # One app per worker (building one takes longer than fuzzing an operation); other
    # tests on the worker bind the database proxy to their own database in between.
    if not db.is_closed():
        db.close()
    open_database(url)
    yield app, tokens
    if not db.is_closed():
        db.close()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time aim whole-number ids at the seeded world's first rows."""
    aimed = {
        name: st.integers(1, 4) if type(value) is int else st.just(value)
        for name, value in (path_parameters or {}).items()
    }
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(aimed))


# --- what counts as refusing a schema-valid request ---------------------------------------

# A body may name a record by id; which ids exist (and which the caller may see) is the
# data's state, not the document's: the server names the field and says the record is unknown.
UNKNOWN_RECORD = re.compile(r"Unknown (agency|person|certification|session|course)\b")

# Rules OpenAPI 3.0 cannot state (each is described in the field's description): for these
# operations only, a 422 whose every error lies under one of these fields is not counted
# as refusing a schema-valid request.
UNEXPRESSIBLE = {
    # The bytes must be a PNG or JPEG of 16 to 2048 pixels a side: the content, not a schema.
    "PUT /api/v1/agencies/{agency_id}/logo": {"logo"},
    # The file must be CSV in UTF-8 or an .xlsx workbook with known columns.
    "POST /api/v1/agencies/{agency_id}/people/import": {"file"},
    # A session ends after it starts and lasts at most 24 hours: two fields compared.
    "POST /api/v1/offerings": {"ends_at"},
    "PATCH /api/v1/offerings/{offering_id}": {"ends_at"},
    # Exactly one of two properties (apispec has no oneOf/minProperties for a schema).
    "PUT /api/v1/agencies/{agency_id}/partners": {"partner_ids"},
    "POST /api/v1/offerings/{offering_id}/roster": {"person_id", "person"},
    # person_id is required for some roles, agency_id for all but admin: one field's value
    # decides whether another is required.
    "POST /api/v1/users": {"person_id", "agency_id"},
    "PATCH /api/v1/users/{user_id}": {"person_id", "agency_id"},
    # Keys of a map follow a pattern (no propertyNames in OpenAPI 3.0).
    "POST /api/v1/people": {"external_ids"},
    "PATCH /api/v1/people/{person_id}": {"external_ids"},
    "POST /api/v1/requirements": {"category_hours"},
    "PATCH /api/v1/requirements/{requirement_id}": {"category_hours"},
    # `to` not before `from`, `until` not before `since` (below, with the export's state).
    "GET /api/v1/people/{person_id}/transcript": {"to"},
    # Not in the future (today's date), each credit category once and within the hours;
    # a caller who is no person (an admin) names the person.
    "POST /api/v1/submissions": {"completed_on", "credits", "person_id"},
    # The data's state: a host feed needs the user's agency; an export without a format
    # needs the agency's profile; a check-in needs this class's secret code; a preset must
    # be one of the chosen format's.
    "POST /api/v1/users/{user_id}/calendar-feeds": {"agency_id"},
    "GET /api/v1/agencies/{agency_id}/exports": {"format", "preset", "until"},
    "PUT /api/v1/agencies/{agency_id}/export-profile": {"preset", "options"},
    "POST /api/v1/offerings/{offering_id}/check-ins": {"code"},
    # A webhook's host must resolve to public addresses, checked when it is given.
    "POST /api/v1/agencies/{agency_id}/webhooks": {"url"},
    "PATCH /api/v1/agencies/{agency_id}/webhooks/{webhook_id}": {"url"},
}


def _messages(errors):
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _messages(value)]
    return [str(errors)]


def _paths(errors, path=()):
    if isinstance(errors, dict):
        return [p for key, value in errors.items() for p in _paths(value, (*path, key))]
    return [path]


def refused_for_state_or_unstated_rule(case, response):
    """A 422 naming only unknown records, or only the fields of a rule OpenAPI cannot state."""
    if response.status_code != 422:
        return False
    errors = dict((response.json() or {}).get("errors") or {})
    # A long list's errors are cut short (api.py): those shown stand for the rest.
    errors.pop("_truncated", None)
    messages = _messages(errors)
    if messages and all(UNKNOWN_RECORD.match(m) for m in messages):
        return True
    fields = UNEXPRESSIBLE.get(case.operation.label, set())
    paths = _paths(errors)
    return bool(paths) and all(fields & set(path) for path in paths)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_keeps_its_contract(case, fuzzed):
    app, tokens = fuzzed
    # The checks that re-send a request (e.g. without its token) reach the app this way.
    case.operation.schema.app = app
    mode = case.meta.generation.mode.value
    for caller, token in tokens.items():
        headers = {"Authorization": f"Bearer {token}"}
        # Every example meets the seeded world as built: what a call writes (and what the
        # checks' re-sent requests write) is undone after it.
        with db.atomic() as transaction:
            response = case.call(app=app, base_url="http://localhost", headers=headers)
            COUNTS[(caller, mode, response.status_code)] += 1
            excluded = []
            if mode == "positive" and refused_for_state_or_unstated_rule(case, response):
                excluded.append(schemathesis.checks.positive_data_acceptance)
            try:
                case.validate_response(
                    response,
                    headers=headers,
                    excluded_checks=excluded,
                    transport_kwargs={"app": app},
                )
            finally:
                transaction.rollback()


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    path = os.environ.get("MUSTER_FUZZ_REPORT")
    if path:
        with open(path, "a") as out:
            out.write(json.dumps({"|".join(map(str, k)): v for k, v in COUNTS.items()}) + "\n")
