"""Ids for rows written later in bulk, taken inside the write transaction."""

from peewee import PostgresqlDatabase, fn

from database import db


def reserve_ids(model, count):
    """`count` ids for new rows of `model`, to give them before an insert_many writes them.

    PostgreSQL: taken from the table's sequence (never handed out twice). SQLite: those
    after the largest id, which no other writer can take while this transaction holds the
    write lock (BEGIN IMMEDIATE), and which SQLite would give them itself.
    """
    if count <= 0:
        return []
    if isinstance(db.obj, PostgresqlDatabase):
        cursor = db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            (model._meta.table_name, count),
        )
        return [row[0] for row in cursor.fetchall()]
    last = model.select(fn.MAX(model.id)).scalar() or 0
    return list(range(last + 1, last + 1 + count))
