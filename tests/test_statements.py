"""Statements written once: the same rows and the same stored values as the peewee queries
they stand for, their SQL written once a shape."""

import contextlib
import datetime
import logging

import psycopg2.extensions
import pytest
from peewee import SQL, IntegrityError, NodeList, PostgresqlDatabase

import config
from database import db
from models import Agency, AuditEntry
from statements import Slot, Statement, size_class


def agencies(count):
    now = datetime.datetime(2026, 1, 1)
    with db.atomic():
        return [
            Agency.create(
                name=f"Agency {n}", code=f"A{n}", kind="fire", created_at=now, updated_at=now
            ).id
            for n in range(count)
        ]


def test_a_statement_reads_what_its_query_reads_with_new_values_each_run(app):
    ids = agencies(3)
    built = []

    def build():
        built.append(1)
        return Agency.select().where(Agency.id == Slot("id")).limit(1)

    statement = Statement(build)
    for agency_id in ids:
        found = statement.first(id=agency_id)
        expected = Agency.select().where(Agency.id == agency_id).first()
        assert found.__data__ == expected.__data__
    assert statement.first(id=ids[-1] + 1) is None
    assert built == [1]


def test_an_in_list_is_written_per_size_class_and_padded_with_its_last_value(app):
    ids = agencies(5)
    statement = Statement(
        lambda count: Agency.select(Agency.id).where(Agency.id.in_(Slot("ids", count))).tuples()
    )
    for chosen in ([ids[0]], ids[:3], ids):
        rows = statement.rows(size_class(len(chosen)), ids=chosen)
        assert sorted(i for (i,) in rows) == sorted(chosen)
    assert [size_class(n) for n in (1, 2, 3, 4, 5, 500)] == [1, 2, 4, 4, 8, 512]


def test_an_insert_stores_what_peewee_stores_json_included(app):
    fields = tuple(f for f in AuditEntry._meta.sorted_fields if not f.primary_key)
    statement = Statement(
        lambda: AuditEntry.insert({f: Slot(("row", f.name), field=f) for f in fields})
    )
    row = {
        "at": datetime.datetime(2026, 2, 3, 4, 5, 6),
        "user_id": 7,
        "user_email": "a@example.org",
        "action": "update",
        "entity": "thing",
        "entity_id": "9",
        "agency_id": None,
        "person_agency_id": 3,
        "before": None,
        "after": {"rows": [{"minutes": 30}], "created": 1, "ok": True},
        "reason": None,
    }
    assert statement.rowcount(row=row) == 1
    AuditEntry.insert({**row, "entity_id": "10"}).execute()
    mine, theirs = AuditEntry.select().order_by(AuditEntry.id)
    assert {**mine.__data__, "id": 0, "entity_id": ""} == {
        **theirs.__data__,
        "id": 0,
        "entity_id": "",
    }
    raw = f'SELECT "after", "before" FROM "{AuditEntry._meta.table_name}" ORDER BY "id"'
    first, second = db.execute_sql(raw).fetchall()
    assert first == second


def test_on_postgresql_a_statement_is_prepared_once_per_connection_and_run_by_name(app):
    if not isinstance(db.obj, PostgresqlDatabase):
        return  # SQLite keeps its compiled statements itself
    ids = agencies(2)
    statement = Statement(
        lambda: Agency.select(Agency.name).where(Agency.id == Slot("id")).tuples()
    )
    assert statement.rows(id=ids[0]) == [("Agency 0",)]
    with db.atomic():  # prepared already: run by name inside a transaction too
        assert statement.rows(id=ids[1]) == [("Agency 1",)]
    prepared = db.execute_sql("SELECT statement FROM pg_prepared_statements").fetchall()
    assert sum('"t1"."name"' in text for (text,) in prepared) == 1
    # A parameter PostgreSQL cannot type is not prepared; the transaction goes on.
    untyped = Statement(
        lambda: Agency.select(Agency.id).where(NodeList((Slot("v"), SQL("IS NULL")))).tuples()
    )
    with db.atomic():
        assert untyped.rows(v="x") == []
        assert statement.rows(id=ids[0]) == [("Agency 0",)]


def test_behind_a_transaction_pooler_statements_can_run_unprepared(app, monkeypatch):
    assert (
        config.load({"DATABASE_PREPARED_STATEMENTS": "0"})["DATABASE_PREPARED_STATEMENTS"] is False
    )
    assert db.obj.prepares is isinstance(db.obj, PostgresqlDatabase)  # on by default
    monkeypatch.setattr(db.obj, "prepares", False)
    ids = agencies(1)
    statement = Statement(
        lambda: Agency.select(Agency.code).where(Agency.id == Slot("id")).tuples()
    )
    assert statement.rows(id=ids[0]) == [("A0",)]
    if isinstance(db.obj, PostgresqlDatabase):
        prepared = db.execute_sql("SELECT statement FROM pg_prepared_statements").fetchall()
        assert not any('"t1"."code"' in text for (text,) in prepared)


@contextlib.contextmanager
def sent():
    """The SQL texts this thread hands the driver meanwhile, each one trip to the server."""
    texts = []

    class Sent(logging.Handler):
        def emit(self, record):
            texts.append(record.msg[0])

    logger, handler = logging.getLogger("peewee"), Sent()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield texts
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


RENAME = Statement(
    lambda: Agency.update({Agency.name: Slot("name")}).where(Agency.id == Slot("id"))
)
RECODE = Statement(
    lambda: Agency.update({Agency.code: Slot("code")}).where(Agency.id == Slot("id"))
)


def test_on_postgresql_a_transaction_sends_begin_and_commit_with_its_statements(app):
    if not isinstance(db.obj, PostgresqlDatabase):
        return  # SQLite's transactions cost no trip to a server
    ids = agencies(1)
    RENAME.rowcount(name="Prepared", id=ids[0])  # prepared on this connection first
    with sent() as texts, db.atomic():
        assert RENAME.rowcount(name="Renamed", id=ids[0]) == 1
        RENAME.at_commit(name="Renamed again", id=ids[0])  # nobody reads its answer
    assert len(texts) == 2
    assert texts[0].startswith("BEGIN; ")
    assert texts[1].endswith("; COMMIT")
    assert Agency.get_by_id(ids[0]).name == "Renamed again"
    with sent() as texts, db.atomic():
        pass
    assert texts == []  # nothing ran: nothing sent
    begun = psycopg2.extensions.TRANSACTION_STATUS_INTRANS
    with db.atomic():  # a caller with a cursor of its own gets the transaction begun
        assert db.connection().get_transaction_status() == begun
    with db.atomic():
        db.cursor()
        assert db.connection_as_is().get_transaction_status() == begun


def test_a_write_left_for_the_commit_that_fails_fails_the_whole_transaction(app):
    ids = agencies(2)
    with pytest.raises(IntegrityError), db.atomic():
        RENAME.rowcount(name="Renamed", id=ids[0])
        RECODE.at_commit(code="A1", id=ids[0])  # the other agency's code
    assert Agency.get_by_id(ids[0]).name == "Agency 0"
    assert Agency.get_by_id(ids[0]).code == "A0"
    with db.atomic():
        RECODE.at_commit(code="B0", id=ids[0])
    RENAME.at_commit(name="Outside", id=ids[0])  # outside a transaction: at once
    assert (Agency.get_by_id(ids[0]).code, Agency.get_by_id(ids[0]).name) == ("B0", "Outside")
