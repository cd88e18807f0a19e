"""The hot reads find their rows through indexes: every query they make is planned by the
database itself (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN with sequential scans
priced out, since on a table of a few rows its planner rightly prefers them) and none reads
a big table from end to end."""

import contextlib
import json
import re
import time

import pytest
from peewee import SqliteDatabase

from database import db
from models import Person
from tests.helpers import new_requirement

# Tables that grow with a state's records; small ones (agencies, courses) may be scanned.
BIG_TABLES = {
    "api_token",
    "attempt",
    "attendance",
    "audit_entry",
    "award",
    "check_in",
    "completion",
    "offering",
    "person",
    "person_external_id",
    "registration",
    "result",
    "roster_entry",
    "session",
    "submission",
    "user",
}


@contextlib.contextmanager
def recorded_reads():
    """The SELECT statements run inside the block, with their parameters (on PostgreSQL
    statements.py's queries sent as SQL, not EXECUTEd prepared, so each is seen)."""
    found = []
    database = db.obj
    run, prepares = database.execute_sql, getattr(database, "prepares", False)
    database.prepares = False

    def recording(sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((sql, tuple(params or ())))
        return run(sql, params, *args, **kwargs)

    database.execute_sql = recording
    try:
        yield found
    finally:
        del database.execute_sql
        database.prepares = prepares


def full_scans(sql, params):
    """The big tables the database would read whole (or through a whole index) for `sql`."""
    if isinstance(db.obj, SqliteDatabase):
        aliases = {alias: table for table, alias in re.findall(r'"(\w+)" AS "(\w+)"', sql)}
        plan = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        scanned = (re.match(r"SCAN (\w+)", row[3]) for row in plan)
        return {aliases.get(m[1], m[1]) for m in scanned if m} & BIG_TABLES
    with db.atomic() as transaction:
        db.execute_sql("SET LOCAL enable_seqscan = off")
        # Planned as for tables of unknown size: what autovacuum may have gathered from a
        # test's few rows is forgotten (rolled back below), so no plan depends on its timing.
        db.execute_sql(
            "UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE relname = ANY(%s)",
            (sorted(BIG_TABLES),),
        )
        db.execute_sql(
            "DELETE FROM pg_statistic WHERE starelid IN "
            "(SELECT oid FROM pg_class WHERE relname = ANY(%s))",
            (sorted(BIG_TABLES),),
        )
        [[plan]] = db.execute_sql("EXPLAIN (FORMAT JSON) " + sql, params).fetchall()
        transaction.rollback()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return {
        node["Relation Name"]
        for node in walk(plan[0]["Plan"])
        if node.get("Relation Name") in BIG_TABLES
        and (node["Node Type"] == "Seq Scan" or whole_index(node))
    }


def whole_index(node):
    """An index scan that bounds no range of the index: without a condition, or with one on
    a later column only (PostgreSQL then reads the whole index and filters it)."""
    if not node["Node Type"].startswith("Index"):
        return False
    [[leading]] = db.execute_sql(
        "SELECT a.attname FROM pg_class i JOIN pg_index x ON x.indexrelid = i.oid "
        "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0] "
        "WHERE i.relname = %s",
        (node["Index Name"],),
    ).fetchall()
    return not re.search(rf"\b{leading}\b", node.get("Index Cond", ""))


def walk(node):
    yield node
    for child in node.get("Plans", ()):
        yield from walk(child)


def assert_indexed(caller, path, whole=frozenset()):
    """GET `path` as `caller`; no query it makes scans a big table, save those in `whole`
    (an unfiltered list of everyone reads its ordered index from one end, and counts it)."""
    with recorded_reads() as reads:
        response = caller.get(path)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert reads, f"{path} made no query"
    scans = {(sql, ", ".join(sorted(full_scans(sql, params) - whole))) for sql, params in reads}
    assert [(tables, sql) for sql, tables in scans if tables] == []
    return response


@pytest.fixture
def records(hazmat, world, calendar):
    """A closed class (completions, awards, attempts, attendance), more police officers for
    several pages, and a requirement for the compliance reports."""
    officer = world.officer_person["id"]
    hazmat.attend({officer: [480, 480]}, {officer: True})
    hazmat.close()
    for n in range(5):
        world.person(world.police, "Dana", f"Ueda{n}", f"P-9{n}", email=f"d{n}@rpd.test")
    new_requirement(
        world.police_coordinator,
        world.police,
        name="In-service",
        kind="hours",
        hours="40",
        period_months=24,
    )
    new_requirement(
        world.police_coordinator,
        world.police,
        name="Hazmat current",
        kind="certification",
        certification_id=hazmat.cert["id"],
    )
    [completion] = world.admin.get(f"/completions?person_id={officer}").get_json()
    return completion


def test_the_checker_sees_a_full_scan(app):
    with app.app_context():
        db.connect(reuse_if_open=True)
        query = Person.select().where(Person.first_name == "Ana")
        assert full_scans(*query.sql()) == {"person"}
        query = Person.select().where(Person.agency == 1, Person.employee_id == "P-7")
        assert full_scans(*query.sql()) == set()


def test_pages_of_the_people_list_read_the_index_not_the_table(world, records):
    admin, police = world.admin, world.police["id"]
    total = json.loads(admin.get("/people?page_size=2").headers["X-Pagination"])["total"]
    last = (total + 1) // 2
    for page in (1, 2, last - 1, last):
        assert_indexed(admin, f"/people?page={page}&page_size=2", whole={"person"})
    for page in (1, 2, 3):
        assert_indexed(admin, f"/people?agency_id={police}&page={page}&page_size=2")
        assert_indexed(world.police_coordinator, f"/people?page={page}&page_size=2")
    assert_indexed(admin, "/people?employee_id=P-91")
    assert_indexed(admin, "/people?email=d2@rpd.test")
    assert_indexed(world.police_coordinator, "/people?employee_id=P-7")


def test_a_transcript_and_compliance_read_one_person_or_agency(world, records):
    officer = world.officer_person["id"]
    assert_indexed(world.officer, f"/people/{officer}/transcript")
    assert_indexed(world.officer, f"/people/{officer}/compliance")
    assert_indexed(world.police_coordinator, f"/agencies/{world.police['id']}/compliance")
    for status in ("short", "compliant"):  # everyone judged: the agency's join
        assert_indexed(
            world.police_coordinator, f"/agencies/{world.police['id']}/compliance?status={status}"
        )
    assert_indexed(world.admin, f"/people/{officer}")


def test_a_list_of_everyone_counts_the_hidden_few_from_their_own_index(world, records):
    """An admin's unfiltered list counts every person less the merged and voided ones,
    read from the partial index that holds them alone, not from an entry per person."""
    with recorded_reads() as reads:
        assert world.admin.get("/people?page_size=2").status_code == 200
    [(sql, params)] = [(sql, params) for sql, params in reads if "COUNT" in sql.upper()]
    if isinstance(db.obj, SqliteDatabase):
        plan = " ".join(row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    else:
        with db.atomic() as transaction:
            db.execute_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params))
            transaction.rollback()
    assert "person_hidden" in plan


def test_attendance_and_verify_read_one_class_or_code(world, hazmat, records):
    assert_indexed(world.instructor, f"/offerings/{hazmat.offering['id']}/attendance")
    assert_indexed(world.anonymous, f"/verify/{records['verify_code']}")


def test_an_export_reads_its_agencys_records_only(app, world, records):
    app.config["EXPORT_CURSOR_WINDOW_SECONDS"] = 0
    time.sleep(1.05)  # timestamps keep whole seconds: the records are now in the window
    for kind in ("format=csv&preset=state-roster", "format=xapi"):
        response = assert_indexed(
            world.police_coordinator, f"/agencies/{world.police['id']}/exports?{kind}"
        )
        assert "O'Brien" in response.get_data(as_text=True)


def test_a_page_read_from_the_end_is_the_page_read_from_the_start(world, records):
    """The pager reads a late page backwards: the same people, in the same order."""
    admin = world.admin
    everyone = [p["id"] for p in admin.get("/people?page_size=1000").get_json()]
    assert len(everyone) == 8
    pages = [
        [p["id"] for p in admin.get(f"/people?page={page}&page_size=3").get_json()]
        for page in (1, 2, 3, 4)
    ]
    assert [len(page) for page in pages] == [3, 3, 2, 0]
    assert [i for page in pages for i in page] == everyone


def test_an_agency_judged_by_category_reads_its_records_through_indexes(world, records):
    """With a category minimum the records' credits are read one by one (not summed by the
    database): that read too finds the agency's people and their records by index."""
    new_requirement(
        world.police_coordinator,
        world.police,
        name="Dispatch",
        kind="hours",
        hours="8",
        period_months=12,
        category_hours={"dispatch": "4"},
    )
    for status in ("short", "compliant"):
        assert_indexed(
            world.police_coordinator, f"/agencies/{world.police['id']}/compliance?status={status}"
        )
