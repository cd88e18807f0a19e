"""GET /agencies/{id}/exports: a police, a fire and an EMS agency whose people trained at each
other's classes each pull their own people's records, in the layout their system imports."""

import copy
import csv
import datetime
import functools
import io
import json
import threading
import time
import tracemalloc
import uuid

import openpyxl
import pytest
from peewee import chunked

import lms
import queries.exports as export_queries
from blueprints.exports import routes as export_routes
from config import DEFAULTS
from database import db, write_transaction
from lms import fields as lms_fields
from lms import signing
from lms.lrs_client import LRSClient
from models import Agency, Completion, Event, ExportPush
from operations.exports import claim_push
from operations.records import revoke
from tests.conftest import run_peer
from tests.helpers import assert_error, joint_class

# The address records are published under: statement ids and links are made from it.
BASE = DEFAULTS["PUBLIC_BASE_URL"]

WINDOW = 1  # seconds the export cursor trails the clock in these tests (5 minutes in service)


@pytest.fixture(autouse=True)
def short_window(app):
    app.config["EXPORT_CURSOR_WINDOW_SECONDS"] = WINDOW


def settle():
    """Wait until what was just written is older than the window (timestamps keep seconds)."""
    time.sleep(WINDOW + 1.05)


class Joint:
    """Riverton police, fire and County EMS, each running a class the others attended."""

    def __init__(self, world):
        self.world = world
        police, fire, ems = world.police, world.fire, world.ems
        self.sean = world.admin.get(f"/people/{world.officer_person['id']}").get_json()
        self.formula = world.person(
            police, '=HYPERLINK("http://x")', "-Cell", "P-9", external_ids={"state_post": "IL-9"}
        )
        self.tomas = world.person(fire, "Tomás", "Díaz", "F-22", email="tomas@rfd.test")
        self.zoe = world.person(
            ems,
            "Zoë",
            "Nakamura-Jones",
            "E-31",
            external_ids={"nremt": "NR-8812", "license": "PM-4410", "cebroker_profession": "PM"},
        )
        hazmat = self.certification("Hazmat Operations", "HZOPS", "State Fire Marshal")
        cpr = self.certification("CPR Provider", "CPR", "American Heart Association")
        self.hazmat, self.hazmat_offering, _ = joint_class(
            world, fire, "HZ-OPS", "Hazardous Materials Operations", "8", "2026-04-11",
            [self.sean, self.zoe, self.formula],
            external_ids={"state_course_number": "SFM-4410", "cebroker": "771234"},
            credits=[{"category": "state_post", "hours": "8"}],
            awards=[{"certification_id": hazmat["id"], "requires_pass": True}],
        )  # fmt: skip
        self.force, self.force_offering, _ = joint_class(
            world, police, "UOF-1", "Use of Force Decisions", "8", "2026-05-02",
            [self.tomas, self.zoe],
            external_ids={"state_course_number": "IL-UOF-1"},
            credits=[{"category": "legal", "hours": "3"}, {"category": "tactics", "hours": "5"}],
        )  # fmt: skip
        self.cpr, self.cpr_offering, _ = joint_class(
            world, ems, "CPR-1", "CPR for Responders", "8", "2026-06-06",
            [self.sean, self.tomas],
            awards=[{"certification_id": cpr["id"], "requires_pass": True}],
        )  # fmt: skip

    def certification(self, name, code, body):
        response = self.world.admin.post(
            "/certifications",
            json={"name": name, "code": code, "issuing_body": body, "validity_months": 24},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def completion(self, person, offering):
        (found,) = self.world.admin.get(
            f"/completions?person_id={person['id']}&offering_id={offering['id']}"
        ).get_json()
        return found


@pytest.fixture
def joint(world, calendar):
    return Joint(world)


def exports_path(agency, **query):
    text = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/agencies/{agency['id']}/exports" + (f"?{text}" if text else "")


def pull(caller, agency, **query):
    response = caller.get(exports_path(agency, **query))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def csv_rows(response):
    text = response.get_data().decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def set_profile(caller, agency, body):
    response = caller.put(f"/agencies/{agency['id']}/export-profile", json=body)
    assert response.status_code == 200, response.get_json()


CEBROKER_COLUMNS = [
    {"header": "Provider tracking number", "value": "40771"},
    {"header": "CE Broker course tracking number", "source": "course_external_ids.cebroker"},
    {"header": "Provider course id", "source": "course_code"},
    {"header": "CE Broker publishing number", "value": ""},
    {"header": "License number", "source": "person_ref"},
    {"header": "Completion date", "source": "completed_on"},
    {"header": "Licensee state", "value": "State=IL"},
    {
        "header": "Licensee profession",
        "source": "external_ids.cebroker_profession",
        "prefix": "Profession=",
    },
]


def test_each_agency_pulls_its_people_records_in_its_own_layout_field_by_field(joint):
    world = joint.world
    set_profile(world.police_coordinator, world.police, {"format": "csv", "preset": "state-roster"})
    set_profile(
        world.ems_coordinator,
        world.ems,
        {"format": "xlsx", "preset": "cebroker-roster", "options": {"columns": CEBROKER_COLUMNS}},
    )
    set_profile(world.fire_coordinator, world.fire, {"format": "xapi"})
    settle()

    # Police: the generic state roster, CSV, the state POST id as the person id; people in
    # the order of the agency's lists (last name, first name), each one's records together.
    police = pull(world.police_coordinator, world.police)
    assert police.mimetype == "text/csv"
    assert csv_rows(police) == [
        ["Last name", "First name", "Regulator id", "Course title", "State course number",
         "Start date", "End date", "Hours", "Hours by category", "Outcome"],
        ["'-Cell", "'=HYPERLINK(\"http://x\")", "IL-9", "Hazardous Materials Operations",
         "SFM-4410", "2026-04-11", "2026-04-11", "8.00", "state_post: 8.00", "passed"],
        ["O'Brien", "Sean", "IL-55501", "Hazardous Materials Operations", "SFM-4410",
         "2026-04-11", "2026-04-11", "8.00", "state_post: 8.00", "passed"],
        ["O'Brien", "Sean", "IL-55501", "CPR for Responders", "", "2026-06-06", "2026-06-06",
         "8.00", "", "passed"],
    ]  # fmt: skip

    # EMS: CE Broker's roster, columns A-H by position, no header, an Excel date.
    ems = pull(world.ems_coordinator, world.ems)
    assert ems.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(ems.get_data())).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("40771", "771234", "HZ-OPS", None, "PM-4410", datetime.datetime(2026, 4, 11),
         "State=IL", "Profession=PM"),
        ("40771", None, "UOF-1", None, "PM-4410", datetime.datetime(2026, 5, 2), "State=IL",
         "Profession=PM"),
    ]  # fmt: skip
    assert sheet["F1"].number_format == "m/d/yyyy"

    # Fire: xAPI statements, one per completion and award its people earned elsewhere.
    fire = pull(world.fire_coordinator, world.fire).get_json()
    statements = fire["statements"]
    force = joint.completion(joint.tomas, joint.force_offering)
    base = BASE
    first = statements[0]
    # One statement per version of the record; every version under the record's registration.
    url = f"{base}/api/v1/completions/{force['id']}"
    version = first["context"]["extensions"][f"{base}/xapi/extensions/record"]["version"]
    assert first["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{url}#{version}"))
    assert first["context"]["registration"] == str(uuid.uuid5(uuid.NAMESPACE_URL, url))
    assert first["actor"] == {
        "objectType": "Agent",
        "name": "Tomás Díaz",
        "account": {"homePage": f"{base}/api/v1/agencies/{world.fire['id']}", "name": "F-22"},
    }
    assert first["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert first["object"]["id"] == f"{base}/api/v1/courses/{joint.force['id']}"
    assert first["object"]["definition"]["name"] == {"en-US": "Use of Force Decisions"}
    assert first["result"] == {
        "completion": True,
        "duration": "PT8H0M",
        "success": True,
        "score": {"raw": 88.0, "min": 0, "max": 100, "scaled": 0.88},
    }
    extensions = first["context"]["extensions"]
    assert extensions[f"{base}/xapi/extensions/credit-hours"] == 8.0
    assert extensions[f"{base}/xapi/extensions/credits"] == [
        {"category": "legal", "hours": 3.0},
        {"category": "tactics", "hours": 5.0},
    ]
    assert extensions[f"{base}/xapi/extensions/host-agency"]["code"] == "RPD"
    assert extensions[f"{base}/xapi/extensions/completed-on"] == "2026-05-02"
    names = [s["object"]["definition"]["name"]["en-US"] for s in statements]
    assert names == [
        "Use of Force Decisions",
        "CPR for Responders",
        "CPR Provider (CPR for Responders)",
    ]
    assert {s["actor"]["name"] for s in statements} == {"Tomás Díaz"}


def test_no_agency_sees_another_agencys_people_and_strangers_get_404(joint):
    world = joint.world
    settle()
    rows = csv_rows(pull(world.ems_coordinator, world.ems, format="csv", preset="state-roster"))
    assert {row[0] for row in rows[1:]} == {"Nakamura-Jones"}
    assert_error(world.fire_coordinator.get(exports_path(world.police, format="csv")), 404)
    assert_error(world.officer.get(exports_path(world.police, format="xapi")), 403)
    admin = pull(world.admin, world.police, format="csv", preset="totara-course")
    assert [row[0] for row in csv_rows(admin)[1:]] == ["P-9", "P-7", "P-7"]


def test_the_file_name_says_agency_format_and_window_and_the_cursor_comes_back(joint):
    world = joint.world
    response = pull(
        world.police_coordinator,
        world.police,
        format="csv",
        preset="totara-course",
        since="2026-01-01T00:00:00Z",
    )
    cursor = response.headers["X-Next-Since"]
    moment = datetime.datetime.fromisoformat(cursor)
    assert moment.tzinfo is not None
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="RPD_csv-totara-course_20260101T000000Z_to_{stamp}.csv"'
    )
    xapi = pull(world.police_coordinator, world.police, format="xapi")
    assert xapi.headers["Content-Disposition"].startswith(
        'attachment; filename="RPD_xapi_start_to_'
    )
    more = xapi.get_json()["more"]
    assert more.startswith(f"{BASE}/api/v1/agencies/{world.police['id']}/exports?")
    assert more.endswith(
        "since=" + xapi.headers["X-Next-Since"].replace("+", "%2B").replace(":", "%3A")
    )


def test_a_request_without_a_usable_format_names_what_is_missing(joint):
    world = joint.world
    error = assert_error(world.police_coordinator.get(exports_path(world.police)), 422)
    assert list(error["errors"]["query"]) == ["format"]
    error = assert_error(
        world.police_coordinator.get(exports_path(world.police, format="pdf")), 422
    )
    assert list(error["errors"]["query"]) == ["format"]
    error = assert_error(
        world.police_coordinator.get(exports_path(world.police, format="csv", preset="x")), 422
    )
    assert list(error["errors"]["query"]) == ["preset"]
    error = assert_error(
        world.police_coordinator.get(exports_path(world.police, format="csv")), 422
    )
    assert "columns" in error["message"]
    error = assert_error(
        world.police_coordinator.get(exports_path(world.police, format="csv", since="yesterday")),
        422,
    )
    assert list(error["errors"]["query"]) == ["since"]


def test_a_name_starting_with_equals_is_text_in_csv_and_xlsx(joint):
    world = joint.world
    settle()
    rows = csv_rows(
        pull(world.police_coordinator, world.police, format="csv", preset="state-roster")
    )
    assert rows[1][:2] == ["'-Cell", '\'=HYPERLINK("http://x")']
    book = pull(world.police_coordinator, world.police, format="xlsx", preset="state-roster")
    sheet = openpyxl.load_workbook(io.BytesIO(book.get_data())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert sheet["B2"].value == '=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"


def test_open_badges_from_the_endpoint_verify_independently_and_a_tampered_one_fails(joint, peers):
    world = joint.world
    settle()
    response = pull(world.police_coordinator, world.police, format="open_badges")
    credentials = response.get_json()["credentials"]
    assert [c["name"] for c in credentials] == [
        "Hazmat Operations",
        "Hazmat Operations",
        "CPR Provider",
    ]
    issuers = [c["issuer"]["name"] for c in credentials]
    assert issuers == ["Riverton Fire Department"] * 2 + ["County EMS"]
    assert credentials[0]["issuer"]["id"] != credentials[2]["issuer"]["id"]
    code, results = run_peer(peers, "verify-credential.mjs", {"credentials": credentials})
    assert [r["verified"] for r in results] == [True, True, True], results
    tampered = copy.deepcopy(credentials[0])
    tampered["credentialSubject"]["creditsEarned"] = 80.0
    code, results = run_peer(peers, "verify-credential.mjs", {"credentials": [tampered]})
    assert [r["verified"] for r in results] == [False] and code == 1
    # The same key signs the next pull; its private part is nowhere in any answer.
    again = pull(world.police_coordinator, world.police, format="open-badges").get_json()
    assert [c["issuer"]["id"] for c in again["credentials"]] == [
        c["issuer"]["id"] for c in credentials
    ]
    audit = world.admin.get("/audit?entity=signing_key").get_json()
    assert len(audit) == 2 and all(set(e["after"]) == {"agency_id", "did"} for e in audit)


def test_xapi_pulled_as_json_passes_strict_validation(joint, peers):
    world = joint.world
    settle()
    document = pull(world.fire_coordinator, world.fire, format="xapi").get_json()
    code, results = run_peer(peers, "validate-statements.cjs", document)
    assert [r["warnings"] for r in results] == [[]] * 3 and code == 0


def ids_of(response):
    return [(s["verb"]["display"]["en-US"], s["id"]) for s in response.get_json()["statements"]]


def test_consecutive_pulls_return_each_change_once_and_a_revocation_again(joint):
    world = joint.world
    coordinator = world.police_coordinator
    settle()
    first = pull(coordinator, world.police, format="xapi")
    assert len(ids_of(first)) == 6  # 3 completions, 3 awards
    second = pull(coordinator, world.police, format="xapi", since=first.headers["X-Next-Since"])
    assert ids_of(second) == []
    completion = joint.completion(joint.sean, joint.cpr_offering)
    revoked = world.ems_coordinator.post(
        f"/completions/{completion['id']}/revoke", json={"reason": "Roster entered in error."}
    )
    assert revoked.status_code == 200, revoked.get_json()
    settle()
    third = pull(coordinator, world.police, format="xapi", since=second.headers["X-Next-Since"])
    verbs = [verb for verb, _ in ids_of(third)]
    # the completion and its award, each with its voiding statement
    assert verbs == ["passed", "voided", "passed", "voided"]
    fourth = pull(coordinator, world.police, format="xapi", since=third.headers["X-Next-Since"])
    assert ids_of(fourth) == []


def test_a_revocation_committed_while_a_pull_streams_arrives_in_the_next_pull(
    joint, app, monkeypatch
):
    """The writer stamps its change before the pull starts and commits while the pull is
    mid-stream: this pull cannot see it, the next one must not skip it."""
    world = joint.world
    coordinator = world.police_coordinator
    settle()
    first = pull(coordinator, world.police, format="xapi")
    early = joint.completion(joint.formula, joint.hazmat_offering)
    late = joint.completion(joint.sean, joint.cpr_offering)
    response = world.fire_coordinator.post(
        f"/completions/{early['id']}/revoke", json={"reason": "Signed in for someone else."}
    )
    assert response.status_code == 200
    settle()

    stamped, commit, committed = threading.Event(), threading.Event(), threading.Event()
    stamp = {}

    def writer():
        db.connect(reuse_if_open=True)
        try:
            with write_transaction():
                record = revoke(Completion.get_by_id(late["id"]), "Wrong class.", None)
                stamp["at"] = record.updated_at
                stamped.set()
                assert commit.wait(30)
            committed.set()
        finally:
            db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert stamped.wait(30)
    # Start the pull in the second after the change's stamp, so a cursor of plain `now`
    # would already be past the change it has not seen.
    while datetime.datetime.now(datetime.UTC).replace(tzinfo=None) < stamp[
        "at"
    ] + datetime.timedelta(seconds=1.05):
        time.sleep(0.01)

    def rows_then_commit(*args, **kwargs):
        for n, row in enumerate(real_rows(*args, **kwargs)):
            yield row
            if n == 0:  # mid-stream: the writer commits now, the pull reads on
                commit.set()
                assert committed.wait(30)

    real_rows = export_routes.changed_records
    monkeypatch.setattr(export_routes, "changed_records", rows_then_commit)
    monkeypatch.setattr(export_queries, "CHUNK", 1)
    since = first.headers["X-Next-Since"]
    during = coordinator.get(exports_path(world.police, format="xapi", since=since), buffered=False)
    body = b"".join(during.response)
    thread.join(30)
    assert committed.is_set()
    monkeypatch.undo()
    seen = completions_in(json.loads(body)["statements"])
    assert early["id"] in seen and late["id"] not in seen
    settle()
    after = pull(coordinator, world.police, format="xapi", since=during.headers["X-Next-Since"])
    statements = after.get_json()["statements"]
    assert late["id"] in completions_in(statements)
    assert early["id"] not in completions_in(statements)
    # the completion and its award, each with its voiding statement
    assert [s["verb"]["display"]["en-US"] for s in statements] == [
        "passed",
        "voided",
        "passed",
        "voided",
    ]


def record_of(statement):
    """(kind, id) of the record a statement (not a voiding one) stands for."""
    extensions = statement["context"]["extensions"]
    [record] = [v for k, v in extensions.items() if k.endswith("/xapi/extensions/record")]
    return record["kind"], int(record["id"])


def completions_in(statements):
    """Ids of the completions the statements stand for."""
    return {
        record_of(s)[1]
        for s in statements
        if s["verb"]["display"]["en-US"] != "voided" and record_of(s)[0] == "completion"
    }


def statement_of(statements, record, kind="completion"):
    [found] = [
        s["id"]
        for s in statements
        if "registration" in s.get("context", {}) and record_of(s) == (kind, record["id"])
    ]
    return found


def test_a_push_sends_what_is_new_to_the_lrs_once_and_a_revocation_as_voiding(joint, lrs):
    world = joint.world
    coordinator = world.fire_coordinator
    profile = {
        "format": "xapi",
        "options": {"lrs_endpoint": lrs, "lrs_username": "muster", "lrs_password": "pa55"},
    }
    set_profile(coordinator, world.fire, profile)
    settle()
    push = f"/agencies/{world.fire['id']}/exports/push"
    response = coordinator.post(push)
    assert response.status_code == 200, response.get_json()
    counts = response.get_json()
    assert {k: counts[k] for k in ("records", "revocations", "statements", "sent")} == {
        "records": 3,
        "revocations": 0,
        "statements": 3,
        "sent": 3,
    }
    assert counts["since"] is None and counts["conflicts"] == []
    pulled = pull(coordinator, world.fire).get_json()["statements"]
    client = LRSClient(lrs, "muster", "pa55")
    for statement in pulled:  # the LRS holds exactly what a pull shows
        stored = client.get(statement["id"])
        assert {key: stored[key] for key in statement} == statement
    again = coordinator.post(push).get_json()
    assert (again["records"], again["statements"], again["since"]) == (
        0,
        0,
        counts["next_since"],
    )

    cpr = joint.completion(joint.tomas, joint.cpr_offering)
    revoked = world.ems_coordinator.post(
        f"/completions/{cpr['id']}/revoke", json={"reason": "Card expired before class."}
    )
    assert revoked.status_code == 200
    settle()
    voided = coordinator.post(push).get_json()
    assert (voided["records"], voided["revocations"], voided["statements"]) == (2, 2, 4)
    assert voided["sent"] + voided["already_stored"] == 4 and voided["conflicts"] == []
    original = statement_of(pulled, cpr)
    assert client.get(original) is None  # voided: served only as a voided statement
    assert client.get(original, voided=True)["id"] == original
    url = f"{BASE}/api/v1/completions/{cpr['id']}"
    void_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{url}#voided:{original}"))
    assert client.get(void_id)["object"] == {"objectType": "StatementRef", "id": original}
    trail = world.admin.get("/audit?entity=export_push").get_json()
    assert [e["action"] for e in trail] == ["push"] * 3
    assert "pa55" not in json.dumps(trail)


def test_a_second_push_while_one_runs_is_refused_and_without_an_lrs_too(joint):
    world = joint.world
    push = f"/agencies/{world.fire['id']}/exports/push"
    assert_error(world.fire_coordinator.post(push), 409)  # no profile yet
    set_profile(world.fire_coordinator, world.fire, {"format": "xapi"})
    assert_error(world.fire_coordinator.post(push), 409)  # no lrs_endpoint
    body = {"format": "xapi", "options": {"lrs_endpoint": "http://127.0.0.1:9/xAPI"}}
    set_profile(world.fire_coordinator, world.fire, body)
    agency = Agency.get_by_id(world.fire["id"])
    claim_push(agency, None)  # another worker's push holds the claim row
    error = assert_error(world.fire_coordinator.post(push), 409)
    assert "running" in error["message"]
    assert_error(world.police_coordinator.post(push), 404)


def test_records_moved_by_a_merge_of_duplicate_people_come_again_under_the_survivor(joint):
    world = joint.world
    coordinator = world.police_coordinator
    duplicate = world.person(world.police, "Sean", "OBrien", "P-7b")
    joint_class(world, world.ems, "EVOC-1", "Emergency Vehicle Operations", "8", "2026-06-20",
                [duplicate])  # fmt: skip
    settle()
    first = pull(coordinator, world.police, format="csv", preset="totara-course")
    assert [row[0] for row in csv_rows(first)[1:]] == ["P-9", "P-7", "P-7", "P-7b"]
    merged = world.admin.post(
        f"/people/{joint.sean['id']}/merge",
        json={"duplicate_id": duplicate["id"], "reason": "Same officer, typo in the name."},
    )
    assert merged.status_code == 200, merged.get_json()
    settle()
    since = first.headers["X-Next-Since"]
    again = pull(coordinator, world.police, format="csv", preset="totara-course", since=since)
    assert [row[:3] for row in csv_rows(again)[1:]] == [
        ["P-7", "Emergency Vehicle Operations", "CEMS-EVOC-1"]
    ]


def test_a_push_the_lrs_never_takes_keeps_its_cursor_and_tells_the_agency(joint, monkeypatch):
    world = joint.world
    monkeypatch.setattr(
        "operations.exports.LRSClient", functools.partial(LRSClient, retries=0)
    )  # no LRS listens on port 9: fail at once instead of after the backoff
    body = {"format": "xapi", "options": {"lrs_endpoint": "http://127.0.0.1:9/xAPI"}}
    set_profile(world.fire_coordinator, world.fire, body)
    settle()
    response = world.fire_coordinator.post(f"/agencies/{world.fire['id']}/exports/push")
    assert response.status_code == 502, response.get_json()
    [event] = Event.select().where(Event.kind == "export.push_failed")
    assert (event.agency_ids, event.payload["target"]) == ([world.fire["id"]], "127.0.0.1:9")
    assert ExportPush.get(ExportPush.agency == world.fire["id"]).cursor is None


def test_a_record_corrected_after_a_push_reaches_the_lrs_as_a_replacement(joint, lrs, app):
    """A re-close with a changed score supersedes the completion and moves the award to the
    new one: the award is the same record with other content, so a new statement, and the
    version the LRS held is voided; re-sending the same versions doubles nothing."""
    world = joint.world
    base = app.config["PUBLIC_BASE_URL"] = "https://corrected.muster.example"
    coordinator = world.fire_coordinator
    body = {"format": "xapi", "options": {"lrs_endpoint": lrs}}
    set_profile(coordinator, world.fire, body)
    settle()
    push = f"/agencies/{world.fire['id']}/exports/push"
    first = coordinator.post(push).get_json()
    assert (first["sent"], first["replaced"], first["conflicts"]) == (3, 0, [])
    before = pull(coordinator, world.fire).get_json()["statements"]
    (award,) = world.admin.get(f"/awards?person_id={joint.tomas['id']}").get_json()
    old = statement_of(before, award, "award")

    path = f"/offerings/{joint.cpr_offering['id']}"
    reopened = world.admin.post(f"{path}/reopen", json={"reason": "Score keyed wrong."})
    assert reopened.status_code == 200, reopened.get_json()
    results = [
        {"person_id": p["id"], "passed": True, "score": "95"} for p in (joint.sean, joint.tomas)
    ]
    assert world.admin.put(f"{path}/results", json=results).status_code == 200
    assert world.admin.post(f"{path}/close").status_code == 200
    settle()
    second = coordinator.post(push).get_json()
    # the superseded completion (its statement, voided), the new one, the award's new version
    assert (second["records"], second["revocations"], second["replaced"]) == (3, 1, 1)
    assert second["statements"] == 5 and second["conflicts"] == []

    client = LRSClient(lrs)
    after = pull(coordinator, world.fire, since=first["next_since"]).get_json()["statements"]
    new = statement_of(after, award, "award")
    assert new != old
    assert client.get(old) is None and client.get(old, voided=True)["id"] == old
    assert client.get(new)["result"]["score"]["raw"] == 95.0
    registration = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/api/v1/awards/{award['id']}"))
    assert client.registered(registration) == [new]
    void = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/api/v1/awards/{award['id']}#voided:{old}"))
    assert client.get(void)["context"]["extensions"] == {f"{base}/xapi/extensions/replaced-by": new}

    # A push that re-sends everything (its cursor lost) sends the same versions: kept once.
    ExportPush.update(cursor=None).where(ExportPush.agency == world.fire["id"]).execute()
    again = coordinator.post(push).get_json()
    assert (again["records"], again["statements"], again["replaced"]) == (4, 5, 0)
    assert again["conflicts"] == []
    assert client.registered(registration) == [new]


def test_a_signing_key_sealed_under_an_old_secret_key_is_replaced_and_audited(joint, app):
    world = joint.world
    settle()
    first = pull(world.police_coordinator, world.police, format="open-badges").get_json()
    old = {c["issuer"]["name"]: c["issuer"]["id"] for c in first["credentials"]}
    app.config["SECRET_KEY"] = "a-new-secret-key-after-a-leak"
    again = pull(world.police_coordinator, world.police, format="open-badges").get_json()
    new = {c["issuer"]["name"]: c["issuer"]["id"] for c in again["credentials"]}
    assert set(new) == set(old) and not set(new.values()) & set(old.values())
    # both the old credentials (their did:key is their public key) and the new verify
    assert all(signing.verify(c) for c in first["credentials"] + again["credentials"])
    rotations = world.admin.get("/audit?entity=signing_key").get_json()
    rotated = [e for e in rotations if e["action"] == "rotate"]
    assert sorted((e["before"]["did"], e["after"]["did"]) for e in rotated) == sorted(
        (old[name], new[name]) for name in old
    )
    assert all("SECRET_KEY" in e["reason"] for e in rotated)
    # the new key is kept: the next pull signs with it and rotates nothing more
    third = pull(world.police_coordinator, world.police, format="open-badges").get_json()
    assert {c["issuer"]["name"]: c["issuer"]["id"] for c in third["credentials"]} == new
    assert len(world.admin.get("/audit?entity=signing_key").get_json()) == len(rotations)


SOURCE_COLUMNS = [
    {"header": "Employee id", "source": "employee_id"},
    {"header": "Training", "source": "course_title"},
    {"header": "Provider", "source": "provider"},
    {"header": "Source", "source": "source"},
    {"header": "Course", "source": "course_key"},
    {"header": "Date", "source": "completed_on"},
    {"header": "Hours", "source": "hours"},
]


def test_outside_training_the_home_agency_approved_is_exported_marked_self_reported(joint, peers):
    world = joint.world
    submitted = world.officer.post(
        "/submissions",
        json={
            "title": "Crisis Intervention Team training",
            "provider": "State Police Academy",
            "completed_on": "2025-10-04",
            "hours": "7.5",
            "credits": [{"category": "state_post", "hours": "7.5"}],
        },
    )
    assert submitted.status_code == 201, submitted.get_json()
    pending = submitted.get_json()
    # Pending, it is no record yet; approved by the home agency, it is the person's.
    settle()
    columns = {"format": "csv", "options": {"columns": SOURCE_COLUMNS}}
    set_profile(world.police_coordinator, world.police, columns)
    before = csv_rows(pull(world.police_coordinator, world.police))
    assert "Crisis Intervention Team training" not in {row[1] for row in before}
    approve = f"/submissions/{pending['id']}/approve"
    assert world.police_coordinator.post(approve, json={}).status_code == 200
    settle()

    rows = csv_rows(pull(world.police_coordinator, world.police))
    assert rows[0] == [c["header"] for c in SOURCE_COLUMNS]
    assert rows[1:] == [
        ["P-9", "Hazardous Materials Operations", "Riverton Fire Department", "muster",
         "RFD-HZ-OPS", "2026-04-11", "8.00"],
        ["P-7", "Hazardous Materials Operations", "Riverton Fire Department", "muster",
         "RFD-HZ-OPS", "2026-04-11", "8.00"],
        ["P-7", "CPR for Responders", "County EMS", "muster", "CEMS-CPR-1", "2026-06-06",
         "8.00"],
        ["P-7", "Crisis Intervention Team training", "State Police Academy", "self-reported",
         "", "2025-10-04", "7.50"],
        ["P-9", "Hazardous Materials Operations", "Riverton Fire Department", "muster",
         "RFD-HZ-OPS", "2026-04-11", "8.00"],
        ["P-7", "Hazardous Materials Operations", "Riverton Fire Department", "muster",
         "RFD-HZ-OPS", "2026-04-11", "8.00"],
        ["P-7", "CPR for Responders", "County EMS", "muster", "CEMS-CPR-1", "2026-06-06",
         "8.00"],
    ]  # fmt: skip

    set_profile(world.police_coordinator, world.police, {**columns, "format": "xlsx"})
    book = pull(world.police_coordinator, world.police).get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert list(sheet.iter_rows(min_row=5, max_row=5, values_only=True)) == [
        ("P-7", "Crisis Intervention Team training", "State Police Academy", "self-reported",
         None, datetime.datetime(2025, 10, 4), 7.5),
    ]  # fmt: skip

    statements = pull(world.police_coordinator, world.police, format="xapi").get_json()
    [outside] = [s for s in statements["statements"] if s["object"]["id"].count("outside")]
    extensions = outside["context"]["extensions"]
    assert extensions[f"{BASE}/xapi/extensions/source"] == "self-reported"
    assert extensions[f"{BASE}/xapi/extensions/provider"] == "State Police Academy"
    assert f"{BASE}/xapi/extensions/host-agency" not in extensions
    assert outside["object"]["definition"]["name"] == {"en-US": "Crisis Intervention Team training"}
    assert outside["result"]["duration"] == "PT7H30M"
    code, results = run_peer(peers, "validate-statements.cjs", statements)
    assert [r["warnings"] for r in results] == [[]] * 7 and code == 0

    # Muster signs no badge for what it did not see happen.
    badges = pull(world.police_coordinator, world.police, format="open-badges").get_json()
    assert [c["name"] for c in badges["credentials"]] == [
        "Hazmat Operations",
        "Hazmat Operations",
        "CPR Provider",
    ]


def add_completions(person, offering, count, start):
    """`count` more completions of `person`, written in bulk, changed ten minutes ago."""
    earlier = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
    earlier -= datetime.timedelta(minutes=10)
    rows = (
        {
            "person": person["id"],
            "offering": offering["id"],
            "course": offering["course_id"],
            "issuer": offering["host_agency_id"],
            "title": f"Refresher {n}",
            "hours": "8.00",
            "credits": [{"category": "state_post", "hours": "8.00"}],
            "completed_on": datetime.date(2026, 4, 11),
            "passed": True,
            "verify_code": f"MEM{n:08d}",
            "created_at": earlier,
            "updated_at": earlier,
        }
        for n in range(start, start + count)
    )
    with db.atomic():
        for chunk in chunked(rows, 500):
            Completion.insert_many(chunk).execute()


def streamed_peak(caller, path) -> tuple[int, int]:
    """(peak bytes traced, rows) while the server answers `path` and the body is read."""
    tracemalloc.start()
    try:
        response = caller.get(path, buffered=False)
        assert response.status_code == 200
        lines = sum(chunk.count(b"\n") for chunk in response.response)
        response.close()
        return tracemalloc.get_traced_memory()[1], lines
    finally:
        tracemalloc.stop()


def test_an_export_over_http_streams_in_flat_memory_from_1000_to_20000_records(joint, monkeypatch):
    world = joint.world
    # Chunks of 250 rows: the small pull is four of them, so what it holds is what any pull
    # holds (a chunk, and on PostgreSQL the next one being fetched).
    monkeypatch.setattr(export_queries, "CHUNK", 250)
    path = exports_path(world.police, format="csv", preset="state-roster")
    settle()

    def least_peak(expected_lines):
        # Python memory traced in this process: what the export holds, whatever else the
        # machine runs. The least of three, since anything else in the process (a collection
        # put off, a cache filled once) only adds to a peak; rows held would add to all three.
        peaks = []
        for _ in range(3):
            peak, lines = streamed_peak(world.police_coordinator, path)
            assert lines == expected_lines  # the header and every row, read to the end
            peaks.append(peak)
        return min(peaks)

    add_completions(joint.sean, joint.hazmat_offering, 1_000, 0)
    small = least_peak(4 + 1_000)  # the header, the joint classes' three rows, those added
    add_completions(joint.sean, joint.hazmat_offering, 19_000, 1_000)
    large = least_peak(4 + 20_000)
    print(f"GET exports csv peak: 1k records {small} B, 20k records {large} B")
    # Holding the rows would cost ~1 KB each: 19 MB more for 19,000 more rows. Flat streaming
    # stays within a chunk of the small pull, whatever the count.
    assert large < 1.5 * small


def test_a_corrected_person_comes_again_in_the_next_pull_under_their_new_id(joint):
    world = joint.world
    coordinator = world.police_coordinator
    settle()
    first = pull(coordinator, world.police, format="xapi")
    sean = [s for s in first.get_json()["statements"] if s["actor"]["account"]["name"] == "P-7"]
    assert sean
    changed = coordinator.patch(f"/people/{joint.sean['id']}", json={"employee_id": "P-70"})
    assert changed.status_code == 200, changed.get_json()
    settle()
    again = pull(coordinator, world.police, format="xapi", since=first.headers["X-Next-Since"])
    statements = again.get_json()["statements"]
    assert sorted(s["actor"]["account"]["name"] for s in statements) == ["P-70"] * len(sean)
    assert {s["id"] for s in statements}.isdisjoint(s["id"] for s in sean)  # new versions


def test_a_mapped_export_reads_only_its_columns_and_writes_what_whole_rows_give(joint, app):
    """Each source alone (and with the options that change what is read): the rows read for
    the columns shown write the same bytes as the writer filtering and reading whole rows."""
    world = joint.world
    submitted = world.officer.post(
        "/submissions",
        json={"title": "Crisis Intervention", "provider": "State Police Academy",
              "completed_on": "2025-10-04", "hours": "7.5",
              "credits": [{"category": "state_post", "hours": "7.5"}]},
    )  # fmt: skip
    approve = f"/submissions/{submitted.get_json()['id']}/approve"
    assert world.police_coordinator.post(approve, json={}).status_code == 200
    completion = joint.completion(joint.sean, joint.cpr_offering)
    revoke_path = f"/completions/{completion['id']}/revoke"
    assert world.ems_coordinator.post(revoke_path, json={"reason": "Error."}).status_code == 200
    sources = [*lms_fields.DIRECT, *lms_fields.DERIVED, "person_ref", "external_ids.state_post",
               "course_external_ids.cebroker", "credits.state_post", "credits.legal"]  # fmt: skip
    variants = [
        {},
        {"row_per_credit": True, "include_revoked": True, "map": {"valid": "ok"}},
        {"record_kinds": ["award"], "person_ref": "external_ids.nremt", "prefix": "x"},
        {"person_ref": "email", "include_revoked": True, "hours_decimals": 0},
    ]
    bound = datetime.datetime(2100, 1, 1)
    with app.app_context():
        for agency in (world.police, world.fire, world.ems):
            records = export_queries.changed_records(agency["id"], None, bound, BASE)
            whole = list(records)
            assert len(whole) > 2
            for source in sources:
                for variant in variants:
                    column = {"header": source, "source": source}
                    column |= {k: variant[k] for k in ("map", "prefix") if k in variant}
                    options = {k: v for k, v in variant.items() if k not in ("map", "prefix")}
                    options["columns"] = [column, {"header": "fixed", "value": "1"}]
                    read = b"".join(lms.write("csv", records, options))
                    assert read == b"".join(lms.write("csv", whole, options)), (source, variant)


def test_each_persons_records_come_by_id_whatever_their_days_and_however_chunks_split_them(
    joint, app, monkeypatch
):
    """The database reads a person's records by day (its index); the export gives them by
    id, the people in the agency's order, with chunks that split a person anywhere."""
    world = joint.world
    add_completions(joint.sean, joint.hazmat_offering, 7, 0)
    add_completions(joint.formula, joint.hazmat_offering, 5, 7)
    # later ids on earlier days: the index's order is not the export's
    for days, record in enumerate(Completion.select().where(Completion.title ** "Refresher%")):
        day = datetime.date(2026, 4, 11) - datetime.timedelta(days=days)
        Completion.update(completed_on=day).where(Completion.id == record.id).execute()
    bound = datetime.datetime(2100, 1, 1)
    fields = frozenset(("record_id", "person_id", "last_name", "first_name"))

    def read(first, chunk):
        monkeypatch.setattr(export_queries, "FIRST", first)
        monkeypatch.setattr(export_queries, "CHUNK", chunk)
        records = export_queries.changed_records(world.police["id"], None, bound, BASE)
        found = []
        for _, columns in records.chunks(lms.rows.Wanted(frozenset(["completion"]), True, fields)):
            found += zip(columns["last_name"], columns["first_name"], columns["person_id"],
                         columns["record_id"], strict=True)  # fmt: skip
        return found

    with app.app_context():
        whole = read(10_000, 10_000)
        assert len(whole) >= 12
        assert [row[2:] for row in whole] == [
            row[2:] for row in sorted(whole, key=lambda r: (r[0], r[1], r[2], r[3]))
        ]
        for first, chunk in ((1, 1), (2, 3), (4, 5), (200, 2)):
            assert read(first, chunk) == whole, (first, chunk)


def test_an_export_holding_few_classes_reads_them_again_and_writes_the_same(
    joint, app, monkeypatch
):
    """The classes an export holds are bounded: emptied when full, a chunk's classes are
    read again, and every format writes the same bytes."""
    world = joint.world
    # a person's records by id name one class, then another, then the first again
    for start, offering in enumerate((joint.force_offering, joint.cpr_offering) * 2):
        add_completions(joint.tomas, offering, 3, 1_000 * (start + 1))
    settle()
    until = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=WINDOW + 0.5)
    until = until.strftime("%Y-%m-%dT%H:%M:%SZ")  # both pulls of a pair end at the same time
    for query in (
        {"format": "xapi", "until": until},
        {"format": "csv", "preset": "totara-course", "until": until},
    ):
        for agency, caller in (
            (world.fire, world.fire_coordinator),
            (world.police, world.police_coordinator),
        ):
            monkeypatch.setattr(export_queries, "CLASSES_KEPT", 20_000)
            held = pull(caller, agency, **query).get_data()
            monkeypatch.setattr(export_queries, "CLASSES_KEPT", 1)
            monkeypatch.setattr(export_queries, "CHUNK", 2)
            monkeypatch.setattr(export_queries, "FIRST", 1)
            assert pull(caller, agency, **query).get_data() == held, (query, agency["name"])
            monkeypatch.undo()
