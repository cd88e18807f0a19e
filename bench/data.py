"""Synthetic state-scale data for the benchmarks: agencies, people, courses, closed classes
with their sessions, roster, attendance, attempts and completions, loaded in bulk.

`generate(...)` writes on the database the proxy is bound to (SQLite or PostgreSQL) and the
API then serves the rows like any others (lists, transcripts, compliance, exports). Rows go
in chunks inside one transaction per table, with ids given explicitly so that rows can name
each other without reading anything back. peewee's `insert_many` builds each value as a
query node in Python (about 7,000 sixteen-column rows a second here), so the statement is
written from the models' table and column names and handed to the driver whole: SQLite's
`executemany` of one prepared INSERT, PostgreSQL's `COPY ... FROM STDIN`.
"""

import dataclasses
import datetime
import io
import itertools
import json
import secrets
import time

import click
from flask.cli import with_appcontext
from peewee import PostgresqlDatabase

from database import db, migrate
from models import (
    Agency,
    Attempt,
    Attendance,
    Completion,
    Course,
    CourseCredit,
    Offering,
    OfferingInstructor,
    Person,
    PersonExternalId,
    RosterEntry,
    Session,
)
from rules.codes import ALPHABET
from rules.identity import name_only_key

CHUNK = 20_000  # rows per statement (SQLite) or per COPY (PostgreSQL)
LOAD_CACHE_KIB = 512 * 1024  # SQLite's page cache while loading (an upper bound, not taken)
CLASS_SIZE = 25
COURSES_PER_AGENCY = 4
FIRST_DAY = datetime.datetime(2023, 1, 9, 14, 0)  # 08:00 in Chicago; every class is past
EPOCH = datetime.datetime(2026, 1, 1)

PLACES = (
    ("Adams County", "TX", "America/Chicago"),
    ("Brookfield", "IL", "America/Chicago"),
    ("Cedar Falls", "IA", "America/Chicago"),
    ("Dutchess County", "NY", "America/New_York"),
    ("Eastport", "ME", "America/New_York"),
    ("Flagstaff", "AZ", "America/Phoenix"),
    ("Glendale", "CA", "America/Los_Angeles"),
    ("Harris County", "TX", "America/Chicago"),
)
KINDS = (
    ("law", "Sheriff's Office"),
    ("fire", "Fire Department"),
    ("ems", "EMS"),
    ("dispatch", "Emergency Communications"),
    ("hospital", "Regional Medical Center"),
    ("law", "Police Department"),
)
FIRST_NAMES = (
    "Ana", "Ben", "Chloé", "Dev", "Elena", "Femi", "Grace", "Hugo", "Inès", "Jamal", "Kira",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Raj", "Seán", "Tomás", "Uma", "Zoë", "Wei",
)  # fmt: skip
LAST_NAMES = (
    "Anderson", "Bell", "Carter", "Díaz", "Evans", "Fischer", "García", "Hughes", "Ibrahim",
    "Johnson", "Kowalski", "López", "Moore", "Nguyễn", "O'Brien", "Patel", "Quinn", "Ramírez",
    "Shah", "Thompson", "Ueda", "Vargas", "Walsh", "Xu", "Young", "Zimmerman", "Müller",
)  # fmt: skip
COURSES = (
    ("HZ-OPS", "Hazardous Materials Operations", "class", 16, True),
    ("CIT", "Crisis Intervention Team", "class", 40, True),
    ("ICS-300", "Intermediate Incident Command", "class", 24, False),
    ("EVOC", "Emergency Vehicle Operations", "drill", 8, True),
    ("MCI", "Mass Casualty Incident Exercise", "exercise", 4, False),
    ("ALERRT", "Active Attack Response", "class", 16, True),
    ("CPR-BLS", "Basic Life Support Renewal", "class", 4, True),
    ("TECC", "Tactical Emergency Casualty Care", "class", 8, False),
)


@dataclasses.dataclass
class Generated:
    """What one call wrote: the new rows' ids and how fast they went in."""

    agency_ids: list[int]
    person_ids: range
    course_ids: range
    offering_ids: range
    completion_ids: range
    counts: dict[str, int]
    seconds: float

    @property
    def rows(self):
        return sum(self.counts.values())

    @property
    def rows_per_second(self):
        return self.rows / self.seconds if self.seconds else 0.0


class Loader:
    """Writes tuples into one model's table: explicit ids, chunks, one transaction a table."""

    def __init__(self):
        self.postgres = isinstance(db.obj, PostgresqlDatabase)
        self.trusted = (
            self.postgres
            and db.execute_sql(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone()[0]
        )
        if not self.postgres:
            # The indexes of a big table are written all over (a class's people are spread
            # over the whole table): a page cache that holds them saves spilling mid-load.
            self.cache_size = db.execute_sql("PRAGMA cache_size").fetchone()[0]
            db.execute_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
            # Rows name only rows written before them: no per-row foreign key lookups
            # (a third of the load's time); back on in finish().
            db.execute_sql("PRAGMA foreign_keys = 0")
        self.counts = {}

    def next_id(self, model):
        return (model.select(model.id).order_by(model.id.desc()).limit(1).scalar() or 0) + 1

    def load(self, model, names, rows):
        """Insert every tuple of `rows` (values in the order of the space-separated field
        `names`) in chunks; returns the count."""
        columns = [model._meta.fields[name].column_name for name in names.split()]
        table = model._meta.table_name
        count = 0
        with db.atomic():
            if self.postgres and self.trusted:
                # The rows name only rows written before them: skip the per-row foreign key
                # triggers for this transaction (a superuser's bulk load; others keep them).
                db.execute_sql("SET LOCAL session_replication_role = replica")
            # An empty table's secondary indexes are built once its rows are in: a sort
            # instead of a million inserts all over each index.
            rebuilt = self._dropped_indexes(model) if self.next_id(model) == 1 else []
            rows = iter(rows)
            while chunk := list(itertools.islice(rows, CHUNK)):
                self._write(table, columns, chunk)
                count += len(chunk)
            for statement in rebuilt:
                db.execute_sql(statement)
        if self.postgres and count:
            db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT MAX(id) FROM "{table}"))'
            )
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def _dropped_indexes(self, model):
        """Drop the table's own indexes (not its primary key's); their CREATE statements."""
        table = model._meta.table_name
        if self.postgres:
            found = db.execute_sql(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s"
                " AND i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM"
                " pg_constraint c WHERE c.conname = i.indexname)",
                (table,),
            ).fetchall()
        else:
            found = db.execute_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL",
                (table,),
            ).fetchall()
        for name, _ in found:
            db.execute_sql(f'DROP INDEX "{name}"')
        return [statement for _, statement in found]

    def _write(self, table, columns, chunk):
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = db.cursor()
        if self.postgres:
            text = "\n".join("\t".join(map(_copy_text, row)) for row in chunk) + "\n"
            cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(text))
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', chunk)

    def finish(self):
        """Fresh statistics for the planner where a server keeps them (autovacuum would, later);
        SQLite's page cache back to its size, the WAL folded into the file."""
        if self.postgres:
            for table in self.counts:
                db.execute_sql(f'ANALYZE "{table}"')
        else:
            db.execute_sql(f"PRAGMA cache_size = {self.cache_size}")
            db.execute_sql("PRAGMA foreign_keys = 1")
            db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _copy_text(value):
    """A value in COPY's text format (the generated text holds no tab, newline or backslash)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


PAIRS = [a + b for a in ALPHABET for b in ALPHABET]
SCORES = [f"{70 + n}.00" for n in range(31)]  # 10 bits -> two characters


def verify_codes(count):
    """`count` distinct 12-character codes in the verify alphabet, from a random start (two
    runs on one database meet with a chance of about count / 2**59)."""
    start = secrets.randbits(59)
    for n in range(start, start + count):
        n &= (1 << 60) - 1
        yield (
            PAIRS[n >> 50]
            + PAIRS[(n >> 40) & 1023]
            + PAIRS[(n >> 30) & 1023]
            + PAIRS[(n >> 20) & 1023]
            + PAIRS[(n >> 10) & 1023]
            + PAIRS[n & 1023]
        )


def stamp(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class Day:
    """A class's calendar from its first day, as the text the rows hold (formatted once)."""

    def __init__(self, start, sessions):
        after = lambda days: start + datetime.timedelta(days=days)  # noqa: E731
        self.created = stamp(after(-30))
        self.enrolled = stamp(after(-14))
        self.starts = [stamp(after(s)) for s in range(sessions)]
        self.closed = stamp(after(sessions))
        self.completed_on = after(sessions - 1).date().isoformat()
        self.revoked = stamp(after(sessions + 30))
        self._start, self._ends = start, {}

    def ends(self, session, minutes):
        key = (session, minutes)
        if key not in self._ends:
            moment = self._start + datetime.timedelta(days=session, minutes=minutes)
            self._ends[key] = stamp(moment)
        return self._ends[key]


def hours_text(hours):
    return f"{hours:.2f}"


def generate(agencies, people, completions, attendance=0, *, lean=False, progress=None):
    """Write `agencies` agencies, `people` people spread over them, and classes enough for
    `completions` completions and `attendance` attendance rows, on the bound database.

    Classes of CLASS_SIZE people are joint: person n belongs to agency n % agencies, so each
    class mixes agencies and each agency gets about 1/agencies of the records. Each agency
    hosts COURSES_PER_AGENCY courses; a class has as many sessions as the attendance asked
    for needs (at least two). Completed classes are closed: every rostered person has an
    attempt and, while there are completions to make, a completion (one in 200 revoked).
    `lean` leaves out the roster and attempts (the exports benchmark reads neither).
    """
    if agencies < 1 or people < 1:
        raise ValueError("at least one agency and one person")
    say = progress or (lambda text: None)
    loader = Loader()
    try:
        return _generate(loader, say, agencies, people, completions, attendance, lean)
    finally:
        loader.finish()


def _generate(loader, say, agencies, people, completions, attendance, lean):
    started = time.perf_counter()
    class_size = min(CLASS_SIZE, people)
    sessions_per = max(2, -(-attendance // completions)) if completions else 2
    sessions_per = min(sessions_per, 10)
    enrolments = max(completions, -(-attendance // sessions_per))
    offerings = -(-enrolments // class_size)
    courses = agencies * COURSES_PER_AGENCY

    first = {
        model: loader.next_id(model)
        for model in (Agency, Person, Course, Offering, Session, Completion)
    }
    agency_ids = [first[Agency] + n for n in range(agencies)]
    places = [PLACES[n % len(PLACES)] for n in range(agencies)]

    def agency_rows():
        now = stamp(EPOCH)
        for n, agency_id in enumerate(agency_ids):
            place, state, zone = places[n]
            kind, title = KINDS[n % len(KINDS)]
            yield (
                agency_id, f"{place} {title} {agency_id}", f"BENCH{agency_id}", kind, state,
                zone, True, "letter", now, now,
            )  # fmt: skip

    loader.load(
        Agency,
        "id name code kind state timezone verified paper_size created_at updated_at",
        agency_rows(),
    )
    say(f"{agencies:,} agencies")

    keys = {}

    def person_rows():
        now = stamp(EPOCH)
        for n in range(people):
            first_name = FIRST_NAMES[n % len(FIRST_NAMES)]
            last_name = LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
            key = keys.get((first_name, last_name))
            if key is None:
                key = keys[first_name, last_name] = name_only_key(first_name, last_name)
            person_id = first[Person] + n
            state = places[n % agencies][1]
            yield (
                person_id, agency_ids[n % agencies], first_name, last_name,
                f"p{person_id}@bench{agency_ids[n % agencies]}.example", f"E{person_id:07d}",
                json.dumps({"state_id": f"{state}{person_id:08d}"}), key, True, True, now, now,
            )  # fmt: skip

    loader.load(
        Person,
        (
            "id agency first_name last_name email employee_id external_ids name_key active "
            "share_achievements created_at updated_at"
        ),
        person_rows(),
    )
    loader.load(
        PersonExternalId,
        "person scheme value",
        (
            (first[Person] + n, "state_id", f"{places[n % agencies][1]}{first[Person] + n:08d}")
            for n in range(people)
        ),
    )
    say(f"{people:,} people")

    course_terms = []  # (host agency id, title, hours, requires_pass) by course index

    def course_rows():
        now = stamp(EPOCH)
        for n in range(courses):
            code, title, kind, hours, requires_pass = COURSES[n % len(COURSES)]
            host = agency_ids[n % agencies]
            course_terms.append((host, title, hours, requires_pass))
            yield (
                first[Course] + n, host, f"{code}-{n // len(COURSES) + 1}", title,
                f"{title}: the state curriculum, taught jointly.", kind, hours_text(hours),
                json.dumps({"state_course": f"SC-{first[Course] + n:05d}"}), "90.00",
                requires_pass, False, now, now,
            )  # fmt: skip

    loader.load(
        Course,
        (
            "id host_agency code title description kind hours external_ids min_attendance_pct "
            "requires_pass allows_partial created_at updated_at"
        ),
        course_rows(),
    )
    loader.load(
        CourseCredit,
        "course category hours",
        ((first[Course] + n, "state_post", hours_text(course_terms[n][2])) for n in range(courses)),
    )
    say(f"{courses:,} courses")

    # Class k: course k % courses, on day (k * 7) % 1000 after FIRST_DAY, closed the day
    # after its last session while completions remain to be made. The dates of the 1,000
    # days are formatted once.
    days = [Day(FIRST_DAY + datetime.timedelta(days=d), sessions_per) for d in range(1000)]

    def schedule(k):
        return days[(k * 7) % 1000]

    def closed(k):
        return k * class_size < completions

    def offering_rows():
        for k in range(offerings):
            course = k % courses
            day, done = schedule(k), closed(k)
            yield (
                first[Offering] + k, first[Course] + course, course_terms[course][0],
                "Regional Training Center", "closed" if done else "scheduled",
                day.closed if done else None, "all", class_size + 5, True, 0, day.created,
                day.closed if done else day.created,
            )  # fmt: skip

    loader.load(
        Offering,
        (
            "id course host_agency location status closed_at visibility capacity waitlist "
            "sequence created_at updated_at"
        ),
        offering_rows(),
    )

    def minutes_of(k):
        return course_terms[k % courses][2] * 60 // sessions_per

    def session_rows():
        for k in range(offerings):
            day, minutes = schedule(k), minutes_of(k)
            for s in range(sessions_per):
                yield (first[Session] + k * sessions_per + s, first[Offering] + k,
                       day.starts[s], day.ends(s, minutes))  # fmt: skip

    loader.load(Session, "id offering starts_at ends_at", session_rows())

    per_agency = max(1, people // agencies)

    def teacher(k):
        """A person of the class's host agency teaches it."""
        host = (k % courses) % agencies
        n = host + agencies * (k % per_agency)
        return first[Person] + (n if n < people else host % people)

    loader.load(
        OfferingInstructor,
        "offering person",
        ((first[Offering] + k, teacher(k)) for k in range(offerings)),
    )
    say(f"{offerings:,} classes of {sessions_per} sessions")

    def person_of(j):
        return first[Person] + j % people

    def offering_of(j):
        return j // class_size

    if not lean:
        loader.load(
            RosterEntry,
            "offering person walk_in status created_person created_at updated_at",
            (
                (
                    first[Offering] + offering_of(j),
                    person_of(j),
                    False,
                    "enrolled",
                    False,
                    schedule(offering_of(j)).enrolled,
                    schedule(offering_of(j)).enrolled,
                )  # fmt: skip
                for j in range(enrolments)
            ),
        )
        say(f"{enrolments:,} roster entries")

    if attendance:

        def attendance_rows():
            written = 0
            for j in range(enrolments):
                k = offering_of(j)
                day, minutes = schedule(k), minutes_of(k)
                for s in range(sessions_per):
                    if written == attendance:
                        return
                    at = day.ends(s, minutes)
                    yield (first[Offering] + k, first[Session] + k * sessions_per + s,
                           person_of(j), minutes, None, None, at, at)  # fmt: skip
                    written += 1

        loader.load(
            Attendance,
            "offering session person minutes check_in check_out created_at updated_at",
            attendance_rows(),
        )
        say(f"{attendance:,} attendance rows")

    def completion_rows():
        # A class's records share all but the person, score, code and revocation: its part
        # of each row is made once a class, not once a record.
        codes = verify_codes(completions)
        reason = "Entered in error: the person was not in this class."
        for k in range(-(-completions // class_size)):
            course = k % courses
            host, title, hours, requires_pass = course_terms[course]
            day, text = schedule(k), hours_text(hours)
            credits = f'[{{"category": "state_post", "hours": "{text}"}}]'
            passed = True if requires_pass else None
            shared = (first[Offering] + k, first[Course] + course, host, title, None, text,
                      credits, day.completed_on, False, False, passed)  # fmt: skip
            valid = (None, None, False, day.closed, day.closed)
            revoked = (day.revoked, reason, False, day.closed, day.revoked)
            for j in range(k * class_size, min((k + 1) * class_size, completions)):
                score = (SCORES[j % 31],) if requires_pass else (None,)
                yield (
                    (first[Completion] + j, person_of(j)) + shared + score + (next(codes),)
                    + (revoked if j % 200 == 199 else valid)
                )  # fmt: skip

    loader.load(
        Completion,
        (
            "id person offering course issuer title provider hours credits completed_on "
            "partial external passed score verify_code revoked_at revoked_reason "
            "revoked_on_close created_at updated_at"
        ),
        completion_rows(),
    )
    say(f"{completions:,} completions")

    if not lean:

        def attempt_rows():
            for j in range(enrolments):
                k = offering_of(j)
                if not closed(k):
                    break
                course = k % courses
                hours = hours_text(course_terms[course][2])
                done = j < completions
                yield (
                    person_of(j), first[Offering] + k, first[Course] + course,
                    course_terms[course][0], "completed" if done else "not_completed",
                    hours if done else "0.00", hours,
                    "[]" if done else '["Attended 0.00 of the 90% of hours required."]',
                    first[Completion] + j if done else None,
                    schedule(k).closed,
                    schedule(k).closed,
                )  # fmt: skip

        loader.load(
            Attempt,
            (
                "person offering course issuer outcome hours_attended hours_required reasons "
                "completion created_at updated_at"
            ),
            attempt_rows(),
        )
        say("attempts")

    return Generated(
        agency_ids=agency_ids,
        person_ids=range(first[Person], first[Person] + people),
        course_ids=range(first[Course], first[Course] + courses),
        offering_ids=range(first[Offering], first[Offering] + offerings),
        completion_ids=range(first[Completion], first[Completion] + completions),
        counts=dict(loader.counts),
        seconds=time.perf_counter() - started,
    )


@click.command("bench-data")
@click.option("--agencies", type=click.IntRange(1), default=10, show_default=True)
@click.option("--people", type=click.IntRange(1), default=10_000, show_default=True)
@click.option("--completions", type=click.IntRange(0), default=100_000, show_default=True)
@click.option("--attendance", type=click.IntRange(0), default=0, show_default=True)
@click.option("--lean", is_flag=True, help="Leave out the roster and attempts behind classes.")
@with_appcontext
def command(agencies, people, completions, attendance, lean):
    """Load synthetic agencies, people, closed joint classes and their records in bulk, for
    the benchmarks (never on a database that holds real records)."""
    migrate()
    made = generate(
        agencies,
        people,
        completions,
        attendance,
        lean=lean,
        progress=lambda text: click.echo(f"  {text}", err=True),
    )
    for table, count in made.counts.items():
        click.echo(f"{table}: {count:,}")
    click.echo(
        f"{made.rows:,} rows in {made.seconds:.1f} s: {made.rows_per_second:,.0f} rows/s; "
        f"agencies {made.agency_ids[0]}–{made.agency_ids[-1]}"
    )
