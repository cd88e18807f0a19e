"""A gunicorn worker SIGKILLed in the middle of a write: an attendance batch, a close, a
merge, a personnel import, a push to an LRS. After the restart each write is all there or
not there at all, and the audit trail says exactly what the data says."""

import collections
import http.client
import json
import os
import re
import signal
import threading
import time
import uuid

import pytest

from models import (
    Attendance,
    AuditEntry,
    Completion,
    ExportPush,
    Offering,
    Person,
)
from operations.exports import STALE_CLAIM
from tests.helpers import Server, fire_offering

# One ended day in two sessions of four hours: the course's 8 hours.
ENDED = [
    {"starts_at": "2025-01-10T08:00:00-06:00", "ends_at": "2025-01-10T12:00:00-06:00"},
    {"starts_at": "2025-01-10T13:00:00-06:00", "ends_at": "2025-01-10T17:00:00-06:00"},
]
WORKERS = 2


def send(port, method, path, token, body=None, content_type="application/json"):
    """(status, JSON body) of one call on its own connection; (None, None) if the server
    closed it without an answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = content_type
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
    try:
        connection.request(method, "/api/v1" + path, body, headers)
        response = connection.getresponse()
        raw = response.read()
    except (ConnectionError, http.client.HTTPException):
        return None, None
    finally:
        connection.close()
    return response.status, json.loads(raw) if raw else None


def multipart(name, content):
    """A multipart/form-data body with one file field, and its content type."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class Crashes:
    """A server on tests.pausing_wsgi; `kill_at` sends a request, SIGKILLs the worker
    paused at the named point while serving it and waits for its replacement."""

    def __init__(self, app, tmp_path):
        self.pause_file = tmp_path / "pause"
        self.server = Server(
            app.config["DATABASE_URL"],
            tmp_path / "gunicorn.log",
            workers=WORKERS,
            threads=2,
            app="tests.pausing_wsgi:app",
            environment={"MUSTER_TEST_PAUSE_FILE": str(self.pause_file)},
        )
        self.killed, self.outcomes = set(), collections.Counter()

    def call(self, method, path, token, body=None, content_type="application/json"):
        return send(self.server.port, method, path, token, body, content_type)

    def kill_at(self, point, method, path, token, body=None, content_type="application/json"):
        self.pause_file.write_text(f"{point} {method} {re.escape('/api/v1' + path.split('?')[0])}")
        answer = []
        client = threading.Thread(
            target=lambda: answer.append(self.call(method, path, token, body, content_type))
        )
        client.start()
        deadline = time.monotonic() + 60
        while not (
            paused := set(re.findall(rf"paused-at {point} pid (\d+)", self.server.log(None)))
            - self.killed
        ):
            assert client.is_alive(), f"{method} {path} was answered {answer}, not paused"
            assert time.monotonic() < deadline, self.server.log()
            time.sleep(0.05)
        (pid,) = paused
        os.kill(int(pid), signal.SIGKILL)
        self.killed.add(pid)
        client.join(60)
        assert answer == [(None, None)], answer  # the client never got an answer
        self.server.wait_ready(WORKERS, besides=self.killed)
        self.outcomes[point] += 1

    def stop(self):
        self.server.stop()
        print(f"\ncrashes injected: {sum(self.outcomes.values())} {dict(self.outcomes)}")


@pytest.fixture
def crashes(app, world, tmp_path):
    running = Crashes(app, tmp_path)
    yield running
    running.stop()


def import_people(world, prefix, count):
    """`count` police officers loaded by the police coordinator's personnel file."""
    content = "first_name,last_name,employee_id\n" + "".join(
        f"Pat,{prefix}{n},{prefix}-{n}\n" for n in range(count)
    )
    body, content_type = multipart("personnel.csv", content.encode())
    response = world.police_coordinator.post(
        f"/agencies/{world.police['id']}/people/import", data=body, content_type=content_type
    )
    assert response.status_code == 200, response.get_json()
    return [
        p.id
        for p in Person.select(Person.id)
        .where(Person.last_name.startswith(prefix))
        .order_by(Person.id)
    ]


def class_of(world, people):
    """An ended fire class with these people on its roster."""
    offering = fire_offering(world, sessions=ENDED)
    for person_id in people:
        response = world.admin.post(
            f"/offerings/{offering['id']}/roster", json={"person_id": person_id}
        )
        assert response.status_code == 201, response.get_json()
    return offering


def audited(entity, action, entity_id=None):
    query = AuditEntry.select().where(AuditEntry.entity == entity, AuditEntry.action == action)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    return list(query.order_by(AuditEntry.id))


def test_killed_mid_attendance_batch_or_close_each_is_all_or_nothing(world, crashes, app):
    people = import_people(world, "Roster", 120)
    offering = class_of(world, people)
    path, token = f"/offerings/{offering['id']}", world.instructor.token
    rows = [
        {"person_id": p, "session_id": s["id"], "minutes": 240}
        for p in people
        for s in offering["sessions"]
    ]

    def stored():
        return {
            (p, s): m
            for p, s, m in Attendance.select(
                Attendance.person, Attendance.session, Attendance.minutes
            )
            .where(Attendance.offering == offering["id"])
            .tuples()
        }

    crashes.kill_at("before-commit", "PUT", f"{path}/attendance", token, rows)
    assert stored() == {}
    assert audited("offering_attendance", "update", offering["id"]) == []

    crashes.kill_at("after-commit", "PUT", f"{path}/attendance", token, rows)
    whole = {(r["person_id"], r["session_id"]): 240 for r in rows}
    assert stored() == whole
    (entry,) = audited("offering_attendance", "update", offering["id"])
    assert {(r["person_id"], r["session_id"]): r["minutes"] for r in entry.after["rows"]} == whole
    status, answer = crashes.call("PUT", f"{path}/attendance", token, rows)
    assert (status, answer["unchanged"]) == (200, 240)

    close = world.fire_coordinator.token
    crashes.kill_at("before-commit", "POST", f"{path}/close", close)
    assert Offering.get_by_id(offering["id"]).status == "scheduled"
    assert Completion.select().where(Completion.offering == offering["id"]).count() == 0
    assert audited("offering", "close", offering["id"]) == []
    assert audited("completion", "create") == []

    crashes.kill_at("after-commit", "POST", f"{path}/close", close)
    assert Offering.get_by_id(offering["id"]).status == "closed"
    completed = [
        c
        for (c,) in Completion.select(Completion.id)
        .where(Completion.offering == offering["id"])
        .tuples()
    ]
    assert len(completed) == 120
    assert len(audited("offering", "close", offering["id"])) == 1
    assert sorted(int(e.entity_id) for e in audited("completion", "create")) == sorted(completed)
    assert crashes.call("POST", f"{path}/close", close)[0] == 409


def test_killed_mid_merge_or_personnel_import_each_is_all_or_nothing(world, crashes, app):
    first = world.person(world.police, "Jo", "Twin", "T-1")["id"]
    second = world.person(world.police, "Jo", "Twin", None)["id"]
    offering = class_of(world, [second])
    rows = [
        {"person_id": second, "session_id": s["id"], "minutes": 240} for s in offering["sessions"]
    ]
    assert (
        world.instructor.put(f"/offerings/{offering['id']}/attendance", json=rows).status_code
        == 200
    )
    merge = (f"/people/{first}/merge", world.police_coordinator.token, {"duplicate_id": second})

    def holders():
        return {
            p: n
            for p, n in collections.Counter(
                p for (p,) in Attendance.select(Attendance.person).tuples()
            ).items()
        }

    crashes.kill_at("before-commit", "POST", *merge)
    assert Person.get_by_id(second).merged_into_id is None
    assert holders() == {second: 2}
    assert audited("person", "merge") == audited("person", "merged_into") == []

    crashes.kill_at("after-commit", "POST", *merge)
    assert Person.get_by_id(second).merged_into_id == first
    assert holders() == {first: 2}
    (merged,) = audited("person", "merge", first)
    assert merged.after["duplicate_id"] == second
    assert len(audited("person", "merged_into", second)) == 1
    assert crashes.call("POST", *merge)[0] == 409

    content = "first_name,last_name,employee_id\n" + "".join(
        f"Lee,Imported{n},I-{n}\n" for n in range(300)
    )
    body, content_type = multipart("personnel.csv", content.encode())
    upload = (
        f"/agencies/{world.police['id']}/people/import",
        world.police_coordinator.token,
        body,
        content_type,
    )

    def imported():
        return [
            p
            for (p,) in Person.select(Person.id)
            .where(Person.last_name.startswith("Imported"))
            .tuples()
        ]

    crashes.kill_at("before-commit", "POST", *upload)
    assert imported() == []
    assert audited("people_import", "import") == []

    crashes.kill_at("after-commit", "POST", *upload)
    people = imported()
    assert len(people) == 300
    (entry,) = audited("people_import", "import")
    assert entry.after["created"] == 300
    assert sorted(person for _, person, _ in entry.after["people"]) == sorted(people)
    created = {
        int(e.entity_id)
        for e in audited("person", "create")
        if e.reason and "Personnel import" in e.reason
    }
    assert created == set(people)
    status, report = crashes.call("POST", *upload)
    assert (status, report["created"], report["unchanged"]) == (200, 0, 300)


def test_killed_mid_push_to_an_lrs_the_cursor_stays_and_the_next_push_sends_each_once(
    world, crashes, app, lrs
):
    people = import_people(world, "Pushed", 150)
    offering = class_of(world, people)
    path = f"/offerings/{offering['id']}"
    rows = [
        {"person_id": p, "session_id": s["id"], "minutes": 240}
        for p in people
        for s in offering["sessions"]
    ]
    assert world.instructor.put(f"{path}/attendance", json=rows).status_code == 200
    assert world.fire_coordinator.post(f"{path}/close").status_code == 200
    profile = {
        "format": "xapi",
        "options": {"lrs_endpoint": lrs, "lrs_username": "muster", "lrs_password": "pa55"},
    }
    response = world.police_coordinator.put(
        f"/agencies/{world.police['id']}/export-profile", json=profile
    )
    assert response.status_code == 200, response.get_json()
    time.sleep(1.1)  # stored times keep whole seconds: the records are now in the past
    push = (f"/agencies/{world.police['id']}/exports/push", world.police_coordinator.token)

    crashes.kill_at("lrs-batch-sent", "POST", *push)  # 100 of 150 statements are in the LRS
    state = ExportPush.get(ExportPush.agency == world.police["id"])
    assert (state.cursor, state.pushes) == (None, 0)
    assert audited("export_push", "push") == audited("export_push", "push_failed") == []
    # the dead push's claim holds until it is stale; then the next push re-sends it all
    status, refused = crashes.call("POST", *push)
    assert status == 409 and "running" in refused["message"]
    state = ExportPush.get(ExportPush.agency == world.police["id"])
    aged = state.claimed_at - STALE_CLAIM  # as if the claim's hour had passed
    ExportPush.update(claimed_at=aged).where(ExportPush.id == state.id).execute()

    status, outcome = crashes.call("POST", *push)
    assert status == 200, outcome
    assert (outcome["records"], outcome["statements"], outcome["conflicts"]) == (150, 150, [])
    assert outcome["sent"] + outcome["already_stored"] == 150
    state = ExportPush.get(ExportPush.agency == world.police["id"])
    assert (state.pushes, state.claim) == (1, None)
    (entry,) = audited("export_push", "push")
    assert (entry.after["statements"], entry.after["cursor"] is not None) == (150, True)
    status, again = crashes.call("POST", *push)
    assert (status, again["records"]) == (200, 0)
