"""Reads at scale: people lists, agency filters, a long transcript and an agency's compliance
report over 1,000,000 people and 5,000,000 attendance rows, on SQLite and PostgreSQL."""

import time

from peewee import SqliteDatabase

from database import db, migrate
from factory import create_app

PEOPLE = 1_000_000
ATTENDANCE = 5_000_000
AGENCY_PEOPLE = 2_000  # people per agency: the compliance report's agency is one of them
TRANSCRIPT = 1_000  # completions of the transcript's person
CLASS = 50  # people per class; each class has two sessions
PAGE = 50
# "A few milliseconds": at most this many times a request that reads the database once
HEALTH_TARGET = 5.0
TRACE = False
STAMP = "'2026-01-01 00:00:00'"
FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo", "Ines", "Jamal", "Kira"]


def numbers(count, sqlite):
    """A FROM clause of `count` rows numbered 0.. in column i."""
    if sqlite:
        return (
            "(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
            f"WHERE i + 1 < {count}) SELECT i FROM n) AS n"
        )
    return f"generate_series(0, {count - 1}) AS n(i)"


def day(offset_sql, sqlite):
    """The date `offset_sql` days after 2020-01-01, in the database's own terms."""
    if sqlite:
        return f"date('2020-01-01', '+' || ({offset_sql}) || ' days')"
    return f"(DATE '2020-01-01' + ({offset_sql}))"


def without_indexes(table, sqlite):
    """Drop a table's secondary indexes; returns the statements that make them again (a bulk
    load then sorts each index once instead of inserting into it row by row)."""
    if sqlite:
        found = db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL",
            (table,),
        ).fetchall()
    else:
        found = db.execute_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT LIKE %s",
            (table, "%_pkey"),
        ).fetchall()
    for name, _ in found:
        db.execute_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def populate(url, people, attendance, transcript=TRANSCRIPT, settle=120):
    """A migrated database at `url` holding `people` people in agencies of AGENCY_PEOPLE and
    `attendance` attendance rows (classes of CLASS people, two sessions each); person 1 has
    `transcript` completions (and three more as a member of agency 1); agency 1 has two
    requirements and three completions a person. On PostgreSQL, waits up to `settle` seconds
    for the tables' pages to be all-visible (all_visible).

    Returns (app, admin token, facts)."""
    app = create_app({"DATABASE_URL": url})
    migrate()
    sqlite = isinstance(db.obj, SqliteDatabase)
    agencies = max(2, people // AGENCY_PEOPLE)
    offerings = max(1, attendance // (2 * CLASS))
    with app.app_context():
        from operations.users import create_user

        _, token, _ = create_user({"email": "reads@bench.example", "role": "admin"}, None, None)
    if sqlite:
        # A throw-away file: no journal while loading, WAL again for the measurements.
        db.execute_sql("PRAGMA journal_mode = OFF")
        db.execute_sql("PRAGMA synchronous = OFF")
        db.execute_sql("PRAGMA cache_size = -500000")

    else:
        # Rows made consistent by construction: no foreign-key trigger per row, and room to
        # sort each index once.
        db.execute_sql("SET maintenance_work_mem = '256MB'")
        superuser = db.execute_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()[0]
        if superuser:
            db.execute_sql("SET session_replication_role = replica")

    def sql(statement, params=None):
        start = time.perf_counter()
        if not sqlite and params is None:
            statement = statement.replace("%", "%%")  # psycopg2's placeholders
        found = db.execute_sql(statement, params)
        if TRACE:
            print(f"{time.perf_counter() - start:6.2f} s {statement[:60]}", flush=True)
        return found

    with db.atomic():
        sql(
            "INSERT INTO agency (created_at, updated_at, name, code, kind, timezone, verified, "
            f"paper_size) SELECT {STAMP}, {STAMP}, 'Agency ' || i, 'A' || i, 'law', "
            f"'America/Chicago', TRUE, 'letter' FROM {numbers(agencies, sqlite)}"
        )
        first_agency = sql("SELECT MIN(id) FROM agency").fetchone()[0]
        sql(
            "INSERT INTO course (created_at, updated_at, host_agency_id, code, title, "
            "description, kind, hours, external_ids, min_attendance_pct, requires_pass, "
            f"allows_partial) SELECT {STAMP}, {STAMP}, id, 'C1', 'Course of ' || name, '', "
            "'class', 8, '{}', 90, FALSE, FALSE FROM agency"
        )
        rebuild = without_indexes("person", sqlite)
        voided = STAMP if sqlite else f"TIMESTAMP {STAMP}"
        first = (
            f"CASE i % {len(FIRST)} "
            + " ".join(f"WHEN {k} THEN '{n}'" for k, n in enumerate(FIRST))
            + " END"
        )
        # Names in an order unrelated to ids; every 997th person voided (listed only with
        # include_merged), so the lists filter as they do in a real deployment.
        sql(
            "INSERT INTO person (created_at, updated_at, agency_id, first_name, last_name, "
            "email, employee_id, external_ids, name_key, voided_at, active, share_achievements) "
            f"SELECT {STAMP}, {STAMP}, {first_agency} + i % {agencies}, {first}, "
            f"'Name' || ((i % 10007) * 7919 % 10007), 'p' || i || '@bench.example', "
            f"'E' || i, '{{}}', '', CASE WHEN i % 997 = 996 THEN {voided} END, TRUE, TRUE "
            f"FROM {numbers(people, sqlite)}"
        )
        for statement in rebuild:
            sql(statement)
        first_person = sql("SELECT MIN(id) FROM person").fetchone()[0]
        sql(
            "INSERT INTO offering (created_at, updated_at, course_id, host_agency_id, location, "
            "status, visibility, waitlist, sequence) SELECT "
            f"{STAMP}, {STAMP}, c.id, c.host_agency_id, 'Range', 'scheduled', 'host', TRUE, 0 "
            f"FROM {numbers(offerings, sqlite)} JOIN course c ON c.host_agency_id = "
            f"{first_agency} + i % {agencies}"
        )
        first_offering = sql("SELECT MIN(id) FROM offering").fetchone()[0]
        for part in (0, 1):
            sql(
                "INSERT INTO session (offering_id, starts_at, ends_at) SELECT id, "
                f"'2026-03-0{part + 1} 14:00:00', '2026-03-0{part + 1} 22:00:00' FROM offering"
            )
        rebuild = without_indexes("attendance", sqlite)
        # Class j seats people j*CLASS .. j*CLASS+CLASS-1 (mod the people), both sessions.
        sql(
            "INSERT INTO attendance (created_at, updated_at, offering_id, session_id, "
            f"person_id, minutes) SELECT {STAMP}, {STAMP}, s.offering_id, s.id, "
            f"{first_person} + ((s.offering_id - {first_offering}) * {CLASS} + k.i) % {people}, "
            f"480 FROM session s CROSS JOIN {numbers(CLASS, sqlite).replace('AS n', 'AS k')}"
            " ORDER BY s.id, k.i"
        )
        for statement in rebuild:
            sql(statement)
        sql(
            "INSERT INTO roster_entry (created_at, updated_at, offering_id, person_id, walk_in, "
            f"status, created_person) SELECT {STAMP}, {STAMP}, {first_offering}, person_id, "
            f"FALSE, 'enrolled', FALSE FROM attendance WHERE session_id = "
            f"(SELECT MIN(id) FROM session WHERE offering_id = {first_offering})"
        )
        completion = (
            "INSERT INTO completion (created_at, updated_at, person_id, course_id, issuer_id, "
            "title, hours, credits, completed_on, partial, external, verify_code, "
            "revoked_on_close) SELECT {stamp}, {stamp}, {person}, NULL, {agency}, "
            "'Training ' || i, 4, '[]', {day}, FALSE, FALSE, {code}, FALSE FROM {numbers}"
        )
        sql(
            completion.format(
                stamp=STAMP,
                person=first_person,
                agency=first_agency,
                day=day("i * 3", sqlite),
                code="'T' || i",
                numbers=numbers(transcript, sqlite),
            )
        )
        members = min(AGENCY_PEOPLE, people // agencies)
        sql(
            completion.format(
                stamp=STAMP,
                person=f"{first_person} + (i / 3) * {agencies}",
                agency=first_agency,
                day=day("2000 + i % 300", sqlite),
                code="'M' || i",
                numbers=numbers(members * 3, sqlite),
            )
        )
        sql(
            "INSERT INTO requirement (created_at, updated_at, agency_id, name, kind, hours, "
            "period_months, category_hours, active) VALUES "
            f"({STAMP}, {STAMP}, {first_agency}, 'Annual hours', 'hours', 24, 12, '{{}}', TRUE), "
            f"({STAMP}, {STAMP}, {first_agency}, 'Biennial hours', 'hours', 40, 24, '{{}}', TRUE)"
        )

    def count(rows):
        return db.execute_sql(f"SELECT COUNT(*) FROM {rows}").fetchone()[0]

    if sqlite:
        db.execute_sql("PRAGMA journal_mode = WAL")
        db.execute_sql("PRAGMA synchronous = NORMAL")
    else:
        db.execute_sql("RESET session_replication_role")
        db.execute_sql("VACUUM ANALYZE")
        tables = ["person", "attendance", "completion", "session", "offering", "roster_entry"]
        all_visible(tables, settle)
    return (
        app,
        token,
        {
            "agency": first_agency,
            "agency_people": members,
            "person": first_person,
            "offering": first_offering,
            "people": people,
            "listed": count("person WHERE voided_at IS NULL"),
            "agency_listed": count(
                f"person WHERE agency_id = {first_agency} AND voided_at IS NULL"
            ),
            "attendance": count("attendance"),
            "transcript": count(f"completion WHERE person_id = {first_person}"),
        },
    )


def all_visible(tables, wait=120):
    """VACUUM these PostgreSQL tables again until every page is marked all-visible, as
    autovacuum keeps a deployment's: a transaction open anywhere on the server while the
    load's VACUUM ran leaves its rows unmarked (seen here with other databases busy), and
    every index-only scan then reads the table's pages too (an agency's 2,000 people: 2,000
    heap pages)."""
    deadline = time.monotonic() + wait
    while True:
        lagging = [
            table
            for table, visible, pages in db.execute_sql(
                "SELECT relname, relallvisible, relpages FROM pg_class WHERE relname = ANY(%s)",
                (tables,),
            ).fetchall()
            if visible < pages
        ]
        if not lagging:
            return
        if time.monotonic() > deadline:
            print(f"bench reads: {', '.join(lagging)} not all-visible after {wait} s", flush=True)
            return
        time.sleep(1)
        for table in lagging:
            db.execute_sql(f'VACUUM "{table}"')


def measure(app, token, facts, repeats):
    """Median seconds of each read, through the app as a client calls it."""
    from bench.table import median_seconds

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    last = (facts["listed"] + PAGE - 1) // PAGE
    agency_last = (facts["agency_listed"] + PAGE - 1) // PAGE
    paths = {
        "page 1": f"/api/v1/people?page=1&page_size={PAGE}",
        "last page": f"/api/v1/people?page={last}&page_size={PAGE}",
        "middle page": f"/api/v1/people?page={(last + 1) // 2}&page_size={PAGE}",
        "agency page 1": f"/api/v1/people?agency_id={facts['agency']}&page_size={PAGE}",
        "agency last page": (
            f"/api/v1/people?agency_id={facts['agency']}&page={agency_last}&page_size={PAGE}"
        ),
        "transcript": f"/api/v1/people/{facts['person']}/transcript",
        "compliance": f"/api/v1/agencies/{facts['agency']}/compliance",
        "compliance short": f"/api/v1/agencies/{facts['agency']}/compliance?status=short",
        "attendance": f"/api/v1/offerings/{facts['offering']}/attendance",
        "health": "/api/v1/health",
    }

    def get(path):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response

    assert len(get(paths["last page"]).get_json()) == facts["listed"] - (last - 1) * PAGE
    assert len(get(paths["transcript"]).get_json()["completions"]) == facts["transcript"]
    assert len(get(paths["attendance"]).get_json()["people"]) == min(CLASS, facts["people"])
    return {name: median_seconds(lambda p=path: get(p), repeats) for name, path in paths.items()}


def run(context):
    """Figures: late pages and an agency's filter against page 1; a long transcript, an
    agency's compliance report and a class's attendance against /health (the cost of a
    request that reads the database once); each read's growth between two sizes 10x apart."""
    from bench.table import growth

    people = context.size(PEOPLE, smallest=1000)
    attendance = context.size(ATTENDANCE, smallest=5000)
    transcript = 20 if context.smoke else TRANSCRIPT
    sizes = ((people // 10, attendance // 10, transcript), (people, attendance, transcript))
    measured = {}
    for size in sizes:
        for label, url in context.databases(f"muster_reads_{size[0]}"):
            app, token, facts = populate(url, *size, settle=5 if context.smoke else 120)
            measured[label, size] = measure(app, token, facts, context.repeats), facts
            db.close()
    figures = []
    for label in dict.fromkeys(label for label, _ in measured):
        small, big = sizes
        figures += big_figures(label, *measured[label, big])
        (small_times, small_facts), (times, facts) = measured[label, small], measured[label, big]
        for name in ("page 1", "last page", "agency page 1", "transcript", "compliance"):
            figures.append(
                growth(
                    "Reads",
                    f"{name} (people)",
                    small_facts["people"],
                    small_times[name],
                    facts["people"],
                    times[name],
                    database=label,
                )
            )
    return figures


def big_figures(label, times, facts):
    from bench.table import Figure

    ms = {name: seconds * 1000 for name, seconds in times.items()}
    where = f"{facts['people']:,} people, {facts['attendance']:,} attendance"
    agency = f"{facts['agency_people']:,}-person agency"

    def figure(what, name, reference, target):
        reference_name = "page 1" if reference == "/people page 1" else "health"
        return Figure(
            "Reads",
            what,
            ms[name],
            "ms",
            reference,
            ms[reference_name],
            target=target,
            lower_is_better=True,
            database=label,
            size=where,
        )

    return [
        figure(f"GET /people last page, page_size {PAGE}", "last page", "/people page 1", 2.0),
        figure(f"GET /people?agency_id= page 1 ({agency})", "agency page 1", "/people page 1", 2.0),
        figure(
            f"GET /people?agency_id= last page ({agency})",
            "agency last page",
            "/people page 1",
            2.0,
        ),
        figure("GET /people middle page (OFFSET)", "middle page", "/people page 1", None),
        figure(
            f"transcript of a person with {facts['transcript']:,} completions",
            "transcript",
            "GET /health",
            HEALTH_TARGET,
        ),
        figure(
            f"compliance report of a {agency} (page 1)",
            "compliance",
            "GET /health",
            HEALTH_TARGET,
        ),
        figure(
            f"compliance ?status=short of a {agency} (judges everyone)",
            "compliance short",
            "GET /health",
            HEALTH_TARGET,
        ),
        figure(f"attendance of a class of {CLASS}, 2 sessions", "attendance", "GET /health", None),
    ]


if __name__ == "__main__":
    import sys

    TRACE = True
    start = time.perf_counter()
    populate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    print(f"{time.perf_counter() - start:.1f} s")
