"""Request discipline: a request without a token is refused before its body is read, a huge
bad body gets a short error list, concurrent writes on a real multi-process server never
answer 5xx, and overlapping retries with one Idempotency-Key create one record."""

import collections
import io
import json
import re

import pytest

from models import AuditEntry, Completion, Offering, Person, PersonExternalId
from tests.helpers import Server, add, created, fire_offering

PREFIX = "/api/v1"
# The only operations anyone may call without a token; a new public route is a decision,
# so it must be added here on purpose.
PUBLIC = re.compile(r"^/api/v1/(health|verify|calendar|notifications/unsubscribe)(/|$)")
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
ENDED = [{"starts_at": "2025-01-10T08:00:00-06:00", "ends_at": "2025-01-10T16:00:00-06:00"}]


def huge_array_of_integers():
    """A JSON array of integers of about 2 MB, as a careless or hostile client sends."""
    body = json.dumps(list(range(300_000))).encode()
    assert len(body) > 2_000_000
    return body


def send(anonymous, method, path, body):
    """Send raw bytes with no token; return the response and how many bytes were read."""
    stream = io.BytesIO(body)
    response = anonymous.client.open(
        path,
        method=method,
        input_stream=stream,
        headers={"Content-Type": "application/json", "Content-Length": str(len(body))},
    )
    return response, stream.tell()


# --- 401 before the body ---------------------------------------------------------------


def test_a_huge_body_without_a_token_is_refused_before_a_byte_of_it_is_read(world, anonymous):
    offering = fire_offering(world)
    body = huge_array_of_integers()
    response, read = send(anonymous, "PUT", f"{PREFIX}/offerings/{offering['id']}/attendance", body)
    assert response.status_code == 401
    assert read == 0
    assert len(response.get_data()) < 1024
    assert response.get_json()["message"] == "This endpoint needs a bearer token."


def test_a_huge_body_with_a_bad_token_is_refused_before_it_is_read(world, anonymous):
    offering = fire_offering(world)
    stream = io.BytesIO(huge_array_of_integers())
    response = anonymous.client.open(
        f"{PREFIX}/offerings/{offering['id']}/attendance",
        method="PUT",
        input_stream=stream,
        headers={
            "Authorization": "Bearer mst_not-a-real-token",
            "Content-Type": "application/json",
            "Content-Length": str(len(stream.getvalue())),
        },
    )
    assert (response.status_code, stream.tell()) == (401, 0)
    assert len(response.get_data()) < 1024


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2", b'{"agency_id": ', b"\xff\xfe"])
def test_malformed_json_without_a_token_is_401_not_400_or_422(world, anonymous, body):
    for method, path in (("POST", "/people"), ("PUT", "/offerings/1/attendance")):
        response, read = send(anonymous, method, PREFIX + path, body)
        assert (response.status_code, read) == (401, 0), (path, response.get_json())


def spec_operations(anonymous):
    spec = anonymous.get(f"{PREFIX}/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method].get("security", spec.get("security"))


def test_every_operation_but_health_and_verify_needs_a_token_whatever_is_sent(world, anonymous):
    operations = list(spec_operations(anonymous))
    public = sorted((method, path) for method, path, security in operations if security == [])
    assert public, "the document declares health and verify public"
    assert all(PUBLIC.match(path) for _, path in public), public
    checked = []
    for method, path, security in operations:
        if security == []:
            continue
        url = re.sub(r"\{[^}]+\}", "1", path)
        body = b"{not json" if method in ("POST", "PUT", "PATCH") else b""
        response, read = send(anonymous, method, url, body)
        assert response.status_code == 401, (method, path, response.get_data(as_text=True))
        assert read == 0 and len(response.get_data()) < 1024, (method, path)
        assert response.get_json()["code"] == 401
        checked.append((method, path))
    assert len(checked) >= 40  # the whole API, not a handful
    # The public ones answer without a token; the docs page too.
    assert anonymous.get("/health").status_code == 200
    assert anonymous.get("/verify/NOPE-NOPE-NOPE").status_code == 404
    assert anonymous.get(f"{PREFIX}/docs").status_code == 200


# --- capped errors ---------------------------------------------------------------------


def messages(errors):
    """Every message string in a (nested) error mapping."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in messages(value)]
    return [errors]


def capped_answer(response):
    """The 422's errors: at most 20 messages shown, and how many more there were."""
    assert response.status_code == 422
    assert len(response.get_data()) < 4 * 1024
    errors = response.get_json()["errors"]
    assert set(errors) == {"json", "_truncated"}
    shown = messages(errors["json"])
    assert len(shown) <= 20 and len(messages(errors)) <= 21
    hidden = re.fullmatch(r"(\d+) more errors not shown\.", errors["_truncated"][0])
    return errors["json"], shown, int(hidden[1])


def test_a_huge_body_of_malformed_rows_gets_a_capped_error_list(world):
    offering = fire_offering(world)
    rows = [{"person_id": "nobody", "session_id": 1, "minutes": "lots"}] * 5000
    response = world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows)
    errors, shown, hidden = capped_answer(response)
    assert list(errors) == [str(i) for i in range(10)]
    assert errors["0"] == {
        "minutes": ["Not a valid integer."],
        "person_id": ["Not a valid integer."],
    }
    assert len(shown) + hidden == 5000 * 2


def test_a_huge_batch_of_unknown_people_gets_a_capped_error_list(world):
    offering = fire_offering(world)
    session = offering["sessions"][0]["id"]
    rows = [{"person_id": 10_000 + i, "session_id": session, "minutes": 60} for i in range(5000)]
    response = world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows)
    errors, shown, hidden = capped_answer(response)
    assert response.get_json()["message"] == (
        "5000 rows of the batch are invalid; nothing was recorded."
    )
    assert errors == {
        str(i): {"person_id": ["Not on the roster of this offering."]} for i in range(20)
    }
    assert len(shown) + hidden == 5000


# --- a real server under concurrent writes ---------------------------------------------


@pytest.fixture
def server(app, world, tmp_path):
    running = Server(app.config["DATABASE_URL"], tmp_path / "gunicorn.log")
    yield running
    running.stop()


def statuses(answers):
    return collections.Counter(status for status, _ in answers)


def no_server_errors(answers, server):
    failed = [(s, b) for s, b in answers if s is None or s >= 500]
    assert failed == [], f"{failed[:3]}\n{server.log()}"


def test_forty_concurrent_closes_of_one_offering_close_it_once(world, server, app):
    offering = fire_offering(world, sessions=ENDED)
    officer = world.officer_person["id"]
    created(add(world.admin, offering, {"person_id": officer}))
    rows = [{"person_id": officer, "session_id": offering["sessions"][0]["id"], "minutes": 480}]
    assert (
        world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows).status_code
        == 200
    )
    close = ("POST", f"/offerings/{offering['id']}/close", world.instructor.token, None, None)
    answers = server.at_once([close] * 40)
    no_server_errors(answers, server)
    assert statuses(answers) == {200: 1, 409: 39}
    winner = next(body for status, body in answers if status == 200)
    assert [(o["person_id"], o["outcome"]) for o in winner["outcomes"]] == [(officer, "complete")]
    assert {body["message"] for status, body in answers if status == 409} == {
        "The offering is closed; its records are locked. Its host agency's coordinator "
        "or an admin may reopen it with a reason."
    }
    with app.app_context():
        assert Offering.get_by_id(offering["id"]).status == "closed"
        assert Completion.select().where(Completion.offering == offering["id"]).count() == 1
        closes = AuditEntry.select().where(
            AuditEntry.entity == "offering",
            AuditEntry.entity_id == offering["id"],
            AuditEntry.action == "close",
        )
        assert closes.count() == 1


def test_forty_concurrent_merges_of_twenty_pairs_merge_each_pair_once(world, server, app):
    pairs = [
        (
            world.person(world.police, "Dana", f"Doe{i}", f"M-{i}a")["id"],
            world.person(world.police, "Dana", f"Doe{i}", f"M-{i}b")["id"],
        )
        for i in range(20)
    ]
    token = world.police_coordinator.token
    calls = [
        ("POST", f"/people/{survivor}/merge", token, {"duplicate_id": duplicate}, None)
        for a, b in pairs
        for survivor, duplicate in ((a, b), (b, a))
    ]
    answers = server.at_once(calls)
    no_server_errors(answers, server)
    assert statuses(answers) == {200: 20, 409: 20}
    with app.app_context():
        for index, (a, b) in enumerate(pairs):
            one_way, other_way = answers[2 * index], answers[2 * index + 1]
            assert sorted([one_way[0], other_way[0]]) == [200, 409]
            survivor, duplicate = (a, b) if one_way[0] == 200 else (b, a)
            merged = {p.id: p.merged_into_id for p in Person.select().where(Person.id << (a, b))}
            assert merged == {survivor: None, duplicate: survivor}
        merges = AuditEntry.select().where(
            AuditEntry.action == "merge", AuditEntry.entity == "person"
        )
        assert merges.count() == 20


def test_forty_concurrent_creates_sharing_regulator_ids_in_pairs_create_one_each(
    world, server, app
):
    token = world.police_coordinator.token

    def person(i):
        return {
            "agency_id": world.police["id"],
            "first_name": "Riley",
            "last_name": f"Park{i}",
            "employee_id": f"C-{i}",
            "external_ids": {"state_post": f"IL-7{i // 2:04d}"},
        }

    answers = server.at_once([("POST", "/people", token, person(i), None) for i in range(40)])
    no_server_errors(answers, server)
    assert statuses(answers) == {201: 20, 409: 20}
    for index in range(0, 40, 2):
        assert sorted([answers[index][0], answers[index + 1][0]]) == [201, 409]
    refused = {body["message"] for status, body in answers if status == 409}
    assert all("state_post" in message for message in refused), refused
    with app.app_context():
        ids = PersonExternalId.select().where(PersonExternalId.value.startswith("IL-7"))
        assert sorted(row.value for row in ids) == [f"IL-7{n:04d}" for n in range(20)]
        made = {body["id"] for status, body in answers if status == 201}
        assert {row.person_id for row in ids} == made
        assert Person.select().where(Person.last_name.startswith("Park")).count() == 20


def test_twelve_overlapping_retries_with_one_idempotency_key_create_one_person(world, server, app):
    body = {
        "agency_id": world.police["id"],
        "first_name": "Maya",
        "last_name": "Lindqvist",
        "employee_id": "P-901",
        "external_ids": {"state_post": "IL-90001"},
    }
    headers = {"Idempotency-Key": "tablet-7-roster-import-42"}
    call = ("POST", "/people", world.police_coordinator.token, body, headers)
    answers = server.at_once([call] * 12)
    no_server_errors(answers, server)
    assert statuses(answers) == {201: 12}
    assert all(answer == answers[0] for answer in answers)
    assert answers[0][1]["employee_id"] == "P-901"
    with app.app_context():
        assert [p.id for p in Person.select().where(Person.employee_id == "P-901")] == [
            answers[0][1]["id"]
        ]
        creates = AuditEntry.select().where(
            AuditEntry.entity == "person",
            AuditEntry.entity_id == answers[0][1]["id"],
            AuditEntry.action == "create",
        )
        assert creates.count() == 1
