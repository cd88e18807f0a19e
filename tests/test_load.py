"""Two thousand concurrent requests at one class through gunicorn's workers: attendance,
walk-ins, the last seats, merges, exports and closes. Nothing is lost or doubled, no client
sees a lock error, and the audit trail tells the same story as the data."""

import collections
import http.client
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from peewee import fn

from models import (
    Attendance,
    AuditEntry,
    Award,
    Completion,
    Offering,
    Person,
    Registration,
    RosterEntry,
)
from tests.helpers import OpenClass, Server, walk_in

# Both ended, so the class can be closed; registration stays open until it is.
ENDED = (
    {"starts_at": "2025-01-10T08:00:00-06:00", "ends_at": "2025-01-10T16:00:00-06:00"},
    {"starts_at": "2025-01-11T08:00:00-06:00", "ends_at": "2025-01-11T16:00:00-06:00"},
)
STEPS = 17  # writes per attendance cell, each a later value than the one before
CLIENTS = 24  # requests in flight at once


class Client:
    """Keep-alive HTTP/1.1 connections to the server, one per client thread."""

    def __init__(self, port):
        self.port, self.local = port, threading.local()

    def call(self, method, path, token, body=None, extra_headers=None):
        """(status, JSON body or None); status None when no answer came."""
        headers = {"Authorization": f"Bearer {token}", **(extra_headers or {})}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        for attempt in (1, 2):  # a kept-alive connection the server closed: once more, anew
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                self.local.connection = connection
            try:
                connection.request(method, "/api/v1" + path, data, headers)
                response = connection.getresponse()
                raw = response.read()
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                connection.close()
                self.local.connection = None
                if attempt == 2 or method != "GET":
                    return None, None
                continue
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                self.local.connection = None
            if response.getheader("Content-Type", "").startswith("application/json"):
                return response.status, json.loads(raw)
            return response.status, None
        return None, None


def fire(client, tasks, then=()):
    """Run every task (a list of (kind, method, path, token, body) calls, sent in order)
    with CLIENTS at once, in a shuffled order with the `then` tasks spread over its second
    half; return [(kind, call, status, body)] of all calls."""
    order = random.Random(12)
    tasks = list(tasks)
    order.shuffle(tasks)
    for task in then:
        tasks.insert(order.randint(len(tasks) // 2, len(tasks)), task)

    def run(task):
        return [(kind, call, *client.call(*call)) for kind, *call in task]

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return [answer for answers in pool.map(run, tasks) for answer in answers]


def tally(answers):
    """{kind: {status: count}}, printed for the closing note."""
    counts = collections.defaultdict(collections.Counter)
    for kind, _, status, _ in answers:
        counts[kind][status] += 1
    return {kind: dict(sorted(c.items(), key=str)) for kind, c in sorted(counts.items())}


class Scene:
    """The fire department's hazmat class (two ended days, 20 seats, 17 taken), who is on
    its roster, who races for the last 3 seats, duplicates to merge and walk-ins to come."""

    def __init__(self, world):
        self.world = world
        self.open = OpenClass(world, capacity=20, reserved=0, sessions=ENDED)
        self.path = self.open.path
        self.sessions = [s["id"] for s in self.open.offering["sessions"]]
        admin, ems = world.admin, world.ems_coordinator
        seated = self.open.people(world.ems, 17, "S")
        for person in seated:
            assert self.open.register(ems, person).status_code == 201
        police = self.open.people(world.police, 23, "A")
        for person in police:
            assert (
                admin.post(f"{self.path}/roster", json={"person_id": person["id"]}).status_code
                == 201
            )
        self.attendees = [p["id"] for p in seated + police]
        self.full = self.attendees[:30]  # end at 480 minutes a day: complete
        self.late = [p["id"] for p in self.open.people(world.police, 20, "L")]
        for person_id in self.late:
            assert (
                admin.post(f"{self.path}/roster", json={"person_id": person_id}).status_code == 201
            )
        self.racers = [p["id"] for p in self.open.people(world.ems, 30, "R")]
        self.late_racers = [p["id"] for p in self.open.people(world.ems, 10, "Q")]
        self.pairs = [self.pair(i) for i in range(30)]  # 20 merged before the close, 10 during
        self.token = {
            "instructor": world.instructor.token,
            "fire": world.fire_coordinator.token,
            "police": world.police_coordinator.token,
            "ems": ems.token,
        }

    def pair(self, i):
        """Two records of one police officer; the second attended both days."""
        first = self.world.person(self.world.police, "Dana", f"Twin{i}", f"T-{i}a")["id"]
        second = self.world.person(self.world.police, "Dana", f"Twin{i}", None)["id"]
        admin = self.world.admin
        assert admin.post(f"{self.path}/roster", json={"person_id": second}).status_code == 201
        rows = [{"person_id": second, "session_id": s, "minutes": 480} for s in self.sessions]
        assert admin.put(f"{self.path}/attendance", json=rows).status_code == 200
        return first, second

    def final_minutes(self, person_id):
        return 480 if person_id in self.full else 240

    def attendance_chains(self):
        """Per roster cell, STEPS writes in order, each later value above the one before
        (alternately a one-row PUT and a two-row PUT with the person's other day as is)."""
        tasks = []
        for person_id in self.attendees:
            end = self.final_minutes(person_id)
            for session in self.sessions:
                chain = []
                for step in range(1, STEPS + 1):
                    rows = [
                        {
                            "person_id": person_id,
                            "session_id": session,
                            "minutes": end * step // STEPS,
                        }
                    ]
                    chain.append(
                        (
                            "attendance",
                            "PUT",
                            f"{self.path}/attendance",
                            self.token["instructor"],
                            rows,
                        )
                    )
                tasks.append(chain)
        return tasks

    def attendance_of(self, people, kind):
        """One two-row PUT per person: 480 minutes on each day."""
        path, token = f"{self.path}/attendance", self.token["instructor"]
        return [
            [
                (
                    kind,
                    "PUT",
                    path,
                    token,
                    [{"person_id": p, "session_id": s, "minutes": 480} for s in self.sessions],
                )
            ]
            for p in people
        ]

    def walk_ins(self, prefix, count, copies, kind="walk-in"):
        """`count` new people at the door, each `copies` times at once."""
        tasks = []
        for n in range(count):
            body = walk_in(
                "Wade",
                f"{prefix}{n}",
                {"agency_id": self.world.police["id"]},
                employee_id=f"{prefix}-{n}",
            )
            tasks += [
                [(kind, "POST", f"{self.path}/roster", self.token["instructor"], body)]
            ] * copies
        return tasks

    def idempotent_creates(self, count, copies):
        """`count` new officers, each POSTed `copies` times at once with one Idempotency-Key
        (a client retrying before its first try was answered)."""
        tasks = []
        for n in range(count):
            body = {
                "agency_id": self.world.police["id"],
                "first_name": "Ida",
                "last_name": f"Retry{n}",
                "employee_id": f"K-{n}",
            }
            key = {"Idempotency-Key": f"create-retry-{n}"}
            tasks += [
                [("retried create", "POST", "/people", self.token["police"], body, key)]
            ] * copies
        return tasks

    def registrations(self, people, copies, kind="registration"):
        path = f"{self.path}/registrations"
        return [
            [(kind, "POST", path, self.token["ems"], {"person_id": p})]
            for p in people
            for _ in range(copies)
        ]

    def merges(self, pairs):
        reason = "One officer entered twice."
        return [
            [
                (
                    "merge",
                    "POST",
                    f"/people/{a}/merge",
                    self.token["police"],
                    {"duplicate_id": b, "reason": reason},
                )
            ]
            for first, second in pairs
            for a, b in ((first, second), (second, first)) * 2
        ]

    def exports(self, count):
        """Pulls of the police's and EMS's records, as CSV and as XLSX."""
        tasks = []
        for n in range(count):
            agency, who = (self.world.police, "police") if n % 2 else (self.world.ems, "ems")
            kind = "csv" if n % 4 < 2 else "xlsx"
            path = f"/agencies/{agency['id']}/exports?format={kind}&preset=state-roster"
            tasks.append([("export", "GET", path, self.token[who], None)])
        return tasks

    def reads(self, count):
        paths = [f"{self.path}/roster", f"{self.path}/attendance", f"{self.path}/registrations"]
        return [[("read", "GET", paths[n % 3], self.token["fire"], None)] for n in range(count)]


@pytest.fixture
def server(app, world, tmp_path):
    running = Server(app.config["DATABASE_URL"], tmp_path / "gunicorn.log", workers=4, threads=4)
    yield running
    running.stop()


def only(answers, kind, allowed):
    """Every answer to this kind of request has one of the allowed statuses."""
    wrong = [(call[1], status, body) for k, call, status, body in answers if k == kind]
    wrong = [answer for answer in wrong if answer[1] not in allowed]
    assert wrong == [], f"{kind}: {len(wrong)} answered otherwise, e.g. {wrong[:2]}"


def test_two_thousand_concurrent_requests_at_one_class_lose_and_double_nothing(world, server, app):
    began = time.monotonic()
    scene = Scene(world)
    client = Client(server.port)
    ready = time.monotonic()

    # --- while the class is open: everything at once ---
    first = fire(
        client,
        scene.attendance_chains()
        + scene.walk_ins("Early", 20, 5)
        + scene.registrations(scene.racers, 2)
        + scene.merges(scene.pairs[:20])
        + scene.idempotent_creates(20, 4)
        + scene.exports(100)
        + scene.reads(100),
    )
    # --- the close, raced by late writes of every kind ---
    second = fire(
        client,
        scene.attendance_of(scene.late, "late attendance")
        + scene.attendance_of(scene.full[:20], "attendance again")
        + scene.walk_ins("Late", 20, 3, "late walk-in")
        + scene.registrations(scene.late_racers, 1, "late registration")
        + scene.merges(scene.pairs[20:])
        + scene.exports(40),
        then=[[("close", "POST", f"{scene.path}/close", scene.token["fire"], None)]] * 30,
    )
    answers = first + second
    fired = time.monotonic()
    counts = tally(answers)
    print(
        f"\nload at one class ({app.config['DATABASE_URL'].split(':')[0]}): {len(answers)} requests"
    )
    for kind, by_status in counts.items():
        print(f"  {kind:20} {by_status}")
    print(f"  (set-up {ready - began:.0f} s, requests {fired - ready:.0f} s)")

    failed = [(k, c[1], c[2], s, b) for k, c, s, b in answers if s is None or s >= 500]
    assert failed == [], f"{len(failed)} failed, e.g. {failed[:3]}\n{server.log()}"

    # every answer is one the request may get
    only(first, "attendance", {200})
    only(answers, "export", {200})
    only(answers, "read", {200})
    assert counts["close"] == {200: 1, 409: 29}
    by_call = collections.defaultdict(list)
    for kind, call, status, body in answers:
        by_call[(kind, call[1], json.dumps(call[3], sort_keys=True))].append((status, body))
    for (kind, _, _), got in by_call.items():
        seen = collections.Counter(status for status, _ in got)
        if kind == "walk-in":  # the same new person five times at once: created once
            assert seen == {201: 1, 200: 4}, got
            assert len({body["person_id"] for _, body in got}) == 1
        elif kind == "late walk-in":  # before the close, as above; after it, refused
            assert seen[201] == (1 if seen[200] else seen[201]) and seen[201] <= 1, got
            assert set(seen) <= {200, 201, 409}, got
        elif kind == "registration":
            assert seen == {201: 1, 409: 1}, got
        elif kind == "retried create":  # answered once, the answer replayed to the retries
            assert seen == {201: 4}, got
            assert len({body["id"] for _, body in got}) == 1
    for first_id, second_id in scene.pairs:
        merges = [
            s
            for (kind, path, body), got in by_call.items()
            if kind == "merge" and path.split("/")[2] in (str(first_id), str(second_id))
            for s, _ in got
        ]
        assert sorted(merges) == [200, 409, 409, 409], (first_id, second_id, merges)
    only(second, "late attendance", {200, 409})
    only(second, "attendance again", {200, 409})
    only(second, "late registration", {201, 409})
    raced = collections.Counter(
        b["status"] for k, _, s, b in first if k == "registration" and s == 201
    )
    assert raced == {"confirmed": 3, "waitlisted": 27}

    late_in = {c[3][0]["person_id"] for k, c, s, _ in second if k == "late attendance" and s == 200}
    late_walk_ins = {
        c[3]["person"]["last_name"]
        for k, c, s, _ in second
        if k == "late walk-in" and s in (200, 201)
    }
    late_registered = {
        c[3]["person_id"] for k, c, s, _ in second if k == "late registration" and s == 201
    }

    with app.app_context():
        offering_id = scene.open.offering["id"]
        assert Offering.get_by_id(offering_id).status == "closed"
        survivors = dict(
            Person.select(Person.id, Person.merged_into)
            .where(Person.merged_into.is_null(False))
            .tuples()
        )
        assert len(survivors) == 30
        for first_id, second_id in scene.pairs:  # each pair merged exactly one way
            assert (survivors.get(first_id), survivors.get(second_id)) in (
                (None, first_id),
                (second_id, None),
            )
        merged_survivor = [a if a not in survivors else b for a, b in scene.pairs]

        # no lost write: every cell as its last write left it, nothing more
        expected = {(p, s): scene.final_minutes(p) for p in scene.attendees for s in scene.sessions}
        expected |= {(p, s): 480 for p in late_in for s in scene.sessions}
        expected |= {(p, s): 480 for p in merged_survivor for s in scene.sessions}
        stored = {
            (p, s): m
            for p, s, m in Attendance.select(
                Attendance.person, Attendance.session, Attendance.minutes
            )
            .where(Attendance.offering == offering_id)
            .tuples()
        }
        assert stored == expected

        # no duplicate person: each walk-in once, a refused one not at all
        walked = collections.Counter(
            name
            for (name,) in Person.select(Person.last_name)
            .where(Person.first_name == "Wade")
            .tuples()
        )
        retried = collections.Counter(
            name
            for (name,) in Person.select(Person.last_name)
            .where(Person.first_name == "Ida")
            .tuples()
        )
        assert retried == collections.Counter(f"Retry{n}" for n in range(20))
        assert walked == collections.Counter(
            [f"Early{n}" for n in range(20)] + sorted(late_walk_ins)
        )
        people_twice = (
            Person.select(Person.agency, Person.employee_id)
            .where(Person.employee_id.is_null(False))
            .group_by(Person.agency, Person.employee_id)
            .having(fn.COUNT(Person.id) > 1)
        )
        assert list(people_twice.tuples()) == []

        roster = collections.Counter(
            p
            for (p,) in RosterEntry.select(RosterEntry.person)
            .where(RosterEntry.offering == offering_id)
            .tuples()
        )
        assert max(roster.values()) == 1
        registrations = collections.Counter(
            s
            for (s,) in Registration.select(Registration.status)
            .where(Registration.offering == offering_id)
            .tuples()
        )
        assert registrations == {"confirmed": 20, "waitlisted": 27 + len(late_registered)}

        # completion and award once each, exactly for those who attended both days in full
        completed = [
            p
            for (p,) in Completion.select(Completion.person)
            .where(Completion.offering == offering_id)
            .tuples()
        ]
        assert sorted(completed) == sorted(scene.full + list(late_in) + merged_survivor)
        awarded = [
            p for (p,) in Award.select(Award.person).where(Award.offering == offering_id).tuples()
        ]
        assert sorted(awarded) == sorted(completed)

        # the audit trail agrees
        def entries(entity, action):
            return collections.Counter(
                e
                for (e,) in AuditEntry.select(AuditEntry.entity_id)
                .where(AuditEntry.entity == entity, AuditEntry.action == action)
                .tuples()
            )

        assert entries("offering", "close") == {str(offering_id): 1}
        every_person = {str(p) for (p,) in Person.select(Person.id).tuples()}
        assert entries("person", "create") == dict.fromkeys(every_person, 1)
        assert entries("person", "merge") == {str(s): 1 for s in merged_survivor}
        assert sum(entries("person", "merged_into").values()) == 30
        every_entry = {
            str(e)
            for (e,) in RosterEntry.select(RosterEntry.id)
            .where(RosterEntry.offering == offering_id)
            .tuples()
        }
        assert entries("roster_entry", "create") == dict.fromkeys(every_entry, 1)
        every_registration = {str(r) for (r,) in Registration.select(Registration.id).tuples()}
        assert entries("registration", "create") == dict.fromkeys(every_registration, 1)
        assert sum(entries("completion", "create").values()) == len(completed)
        assert sum(entries("award", "create").values()) == len(awarded)
        # replaying every attendance entry in order gives what is stored (merged people's
        # rows followed to their survivor)
        replayed = {}
        for (after,) in (
            AuditEntry.select(AuditEntry.after)
            .where(
                AuditEntry.entity == "offering_attendance", AuditEntry.entity_id == str(offering_id)
            )
            .order_by(AuditEntry.id)
            .tuples()
        ):
            for row in after["rows"]:
                replayed[(row["person_id"], row["session_id"])] = row["minutes"]
        followed = {(survivors.get(p, p), s): m for (p, s), m in replayed.items()}
        assert followed == expected
