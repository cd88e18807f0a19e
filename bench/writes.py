"""Writes against what the database itself allows: an attendance batch and a personnel
import against peewee's insert_many into the same table, single-row attendance PUTs through
gunicorn against a minimal Flask JSON endpoint, closing a class against the raw inserts it
makes, and concurrent registrations for the last seats (counted, never a lock error)."""

import datetime
import json
import statistics
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench.classroom import FUTURE, Classroom, Gunicorn, attendance_row, session_ids
from bench.load import drive, in_turns
from bench.table import Figure, growth, median_seconds, timed
from database import db
from models import (
    Attempt,
    Attendance,
    AuditEntry,
    Award,
    Completion,
    Event,
    Person,
)

SECTION = "Writes"


def run(context):
    found = []
    for label, url in context.databases("muster_bench_writes"):
        room = Classroom(url)
        try:
            found += attendance_batches(context, room, label)
            found += personnel_imports(context, room, label)
            found += closings(context, room, label)
            found += served_writes(context, room, label)
        finally:
            room.close()
    return found


# --- an attendance batch -------------------------------------------------------------------


def attendance_batch(context, room, rows):
    """(seconds per batch through the API, seconds per insert_many of as many rows): each
    batch writes `rows` new rows (one session of `rows` people), the reference as many
    into the same table in one transaction."""
    repeats = context.repeats
    offering, people = room.enrolled_class(rows, sessions=2 * repeats + 2, attended=False)
    sessions = session_ids(offering["id"])
    path = f"/offerings/{offering['id']}/attendance"
    ours, theirs = iter(sessions[: repeats + 1]), iter(sessions[repeats + 1 :])

    def batch():
        session = next(ours)
        body = [{"person_id": p, "session_id": session, "minutes": 420} for p in people]
        assert room.call("PUT", path, body)["created"] == rows

    def insert_many():
        session = next(theirs)
        with db.atomic():
            Attendance.insert_many(
                [attendance_row(offering["id"], session, p, 420) for p in people]
            ).execute()

    batch(), insert_many()  # warm-up
    return median_seconds(batch, repeats), median_seconds(insert_many, repeats)


def attendance_batches(context, room, label):
    big = context.size(500, smallest=20)
    small = max(big // 10, 2)
    muster, reference = attendance_batch(context, room, big)
    muster_small, _ = attendance_batch(context, room, small)
    return [
        Figure(
            SECTION,
            f"attendance batch of {big} rows (PUT, test client)",
            big / muster,
            "rows/s",
            "peewee insert_many, same table, one transaction",
            big / reference,
            target=0.3,
            database=label,
        ),
        growth(SECTION, "an attendance batch", small, muster_small, big, muster, label),
    ]


# --- a personnel import --------------------------------------------------------------------


def personnel_file(count, tag):
    lines = ["employee_id,first_name,last_name,email"]
    lines += [f"{tag}-{n:05d},Pat,Officer {n:05d},p{n}.{tag}@county.example" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def personnel_import(context, room, count, warm=True):
    """(seconds per import of `count` new people, seconds per insert_many of as many)."""
    repeats = max(1, min(context.repeats, 2))
    now = datetime.datetime(2026, 1, 1)

    def imported():
        agency = room.agency()
        content = personnel_file(count, uuid.uuid4().hex[:6])
        response = room.client.post(
            f"/api/v1/agencies/{agency}/people/import",
            data={"file": (__import__("io").BytesIO(content), "people.csv")},
            headers=room.headers,
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["created"] == count

    def insert_many():
        agency = room.agency()
        rows = [
            {
                "agency": agency,
                "first_name": "Pat",
                "last_name": f"Officer {n:05d}",
                "email": f"p{n}@county.example",
                "employee_id": f"R-{n:05d}",
                "external_ids": {},
                "created_at": now,
                "updated_at": now,
            }
            for n in range(count)
        ]
        with db.atomic():
            for start in range(0, count, 1000):
                Person.insert_many(rows[start : start + 1000]).execute()

    if warm:
        imported(), insert_many()
    return median_seconds(imported, repeats), median_seconds(insert_many, repeats)


def personnel_imports(context, room, label):
    big = context.size(10_000, smallest=20)
    small = max(big // 10, 2)
    muster_small, _ = personnel_import(context, room, small)  # also the warm-up
    muster, reference = personnel_import(context, room, big, warm=False)
    return [
        Figure(
            SECTION,
            f"personnel import of {big:,} new people (CSV, test client)",
            big / muster,
            "rows/s",
            "peewee insert_many of the people, one transaction",
            big / reference,
            target=0.3,
            database=label,
        ),
        growth(SECTION, "a personnel import", small, muster_small, big, muster, label),
    ]


# --- closing a class -----------------------------------------------------------------------

WRITTEN = (Completion, Award, Attempt, AuditEntry, Event)


def _rows_written(offering_id, since):
    """What closing wrote, per table, as insert_many rows (ids and unique codes renewed)."""
    written = {
        Completion: Completion.select().where(Completion.offering == offering_id),
        Award: Award.select().where(Award.offering == offering_id),
        Attempt: Attempt.select().where(Attempt.offering == offering_id),
        AuditEntry: AuditEntry.select().where(AuditEntry.id > since[AuditEntry]),
        Event: Event.select().where(Event.id > since[Event]),
    }
    rows = {}
    for model, query in written.items():
        found = []
        for row in query.dicts():
            row.pop("id")
            for unique in ("verify_code", "number"):
                if unique in row:
                    row[unique] = uuid.uuid4().hex[:20]
            found.append(row)
        rows[model] = found
    return rows


def _last_ids():
    return {
        model: model.select(model.id).order_by(model.id.desc()).scalar() or 0 for model in WRITTEN
    }


def closing(context, room, people):
    """(seconds to close a class of `people` through the API, seconds to insert_many the
    rows it wrote, rows written)."""
    repeats = max(1, min(context.repeats, 3))
    times, references, count = [], [], 0
    for _ in range(repeats):
        offering, _ = room.enrolled_class(people)
        since = _last_ids()
        seconds, outcome = timed(room.call, "POST", f"/offerings/{offering['id']}/close")
        assert len(outcome["outcomes"]) == people
        assert all(o["outcome"] == "complete" for o in outcome["outcomes"])
        rows = _rows_written(offering["id"], since)
        count = sum(len(r) for r in rows.values())
        twin, _ = room.enrolled_class(people)
        for model in (Completion, Award, Attempt):
            for row in rows[model]:
                row["offering"] = twin["id"]

        def insert_many(rows=rows):
            with db.atomic():
                for model in (Completion, Award, Attempt, AuditEntry, Event):
                    for start in range(0, len(rows[model]), 200):
                        model.insert_many(rows[model][start : start + 200]).execute()

        times.append(seconds)
        references.append(timed(insert_many)[0])
    return statistics.median(times), statistics.median(references), count


def closings(context, room, label):
    big = context.size(500, smallest=10)
    small = max(big // 10, 2)
    muster_small, _, _ = closing(context, room, small)  # also the warm-up
    muster, reference, rows = closing(context, room, big)
    return [
        Figure(
            SECTION,
            f"closing a class of {big} (POST close, test client)",
            muster,
            "s",
            "the issue's budget: one second",
            1.0,
            target=1.0,
            lower_is_better=True,
            database=label,
        ),
        Figure(
            SECTION,
            f"closing a class of {big}: cost against its {rows:,} rows",
            muster,
            "s",
            "insert_many of the rows it wrote",
            reference,
            database=label,
        ),
        growth(SECTION, "closing a class", small, muster_small, big, muster, label),
    ]


# --- through gunicorn: single-row PUTs and the last seats -----------------------------------


def served_writes(context, room, label):
    seconds = 0.3 if context.smoke else 2.0
    offering, people = room.enrolled_class(200, sessions=1, attended=False)
    (session,) = session_ids(offering["id"])
    seats = room.offering(1, **_future(), capacity=10, waitlist=False, visibility="all")
    registrants = room.people(30)
    db.close()
    headers = {"Authorization": f"Bearer {room.token}", "Content-Type": "application/json"}
    path = f"/api/v1/offerings/{offering['id']}/attendance"

    def put(number, i):
        # each PUT changes a stored row: another person, or the same with other minutes
        person = people[(number * 7919 + i) % len(people)]
        body = [{"person_id": person, "session_id": session, "minutes": 300 + i % 120}]
        return "PUT", path, headers, json.dumps(body)

    def echo(number, i):
        body = [{"person_id": number, "session_id": i, "minutes": 300}]
        return "PUT", "/api/v1/echo", headers, json.dumps(body)

    rounds = 1 if context.smoke else max(5, context.repeats)
    with Gunicorn(room.url, app="bench.minimal:app") as reference, Gunicorn(room.url) as server:
        drive(reference.port, echo, seconds=0.3)  # warm-up
        drive(server.port, put, seconds=0.3)
        # Both served at once and loaded in turns: the median round of each.
        measured = in_turns(
            {
                "minimal": lambda: drive(reference.port, echo, seconds=seconds / 2),
                "puts": lambda: drive(server.port, put, seconds=seconds / 2),
            },
            rounds,
        )
        minimal, puts = measured["minimal"], measured["puts"]
        answers = last_seats(server.port, room.token, seats["id"], registrants)
    found = [
        Figure(
            SECTION,
            f"single-row attendance PUT, gunicorn {server.workers} workers "
            f"({puts['errors']} errors in {puts['requests']:,})",
            puts["rps"],
            "req/s",
            "a minimal Flask JSON endpoint, same gunicorn settings",
            minimal["rps"],
            target=0.4,
            database=label,
        ),
        Figure(
            SECTION,
            "single-row attendance PUT, p99 latency",
            puts["p99"] * 1000,
            "ms",
            "the minimal endpoint's p99",
            minimal["p99"] * 1000,
            target=3.0,
            lower_is_better=True,
            database=label,
        ),
    ]
    statuses = sorted(answers.items())
    told = ", ".join(f"{count}× {status}" for status, count in statuses)
    orderly = sum(count for status, count in answers.items() if status in (201, 409))
    found.append(
        Figure(
            SECTION,
            f"{len(registrants)} registrations at once for the last 10 seats: {told}",
            orderly,
            "answers",
            "registrations sent (each a seat or a 409 'full', never a lock error)",
            len(registrants),
            target=1.0,
            database=label,
        )
    )
    return found


def _future():
    return {"start": datetime.datetime.fromisoformat(FUTURE[0]).replace(tzinfo=None)}


def last_seats(port, token, offering_id, people):
    """{status: count} of one registration per person, all sent at the same moment."""
    import http.client

    start = threading.Barrier(len(people), timeout=30)

    def register(person):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"person_id": person})
        start.wait()
        try:
            connection.request(
                "POST",
                f"/api/v1/offerings/{offering_id}/registrations",
                body=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            return "no answer"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        statuses = list(pool.map(register, people))
    counts = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return counts
