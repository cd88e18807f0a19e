"""The peewee database proxy, its connection policy and schema migrations."""

import os
from urllib.parse import urlparse

from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

db = DatabaseProxy()

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": "normal",
}


def open_database(url):
    """Bind the proxy to the database named by a URL (sqlite:/// or postgresql://)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///") :] or ":memory:"
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        database = SqliteDatabase(path, pragmas=SQLITE_PRAGMAS)
    elif parsed.scheme in ("postgres", "postgresql"):
        database = PostgresqlDatabase(
            parsed.path.lstrip("/"),
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port or 5432,
        )
    else:
        raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}")
    db.initialize(database)
    return database


def ensure_connection():
    """Open this worker's connection once and keep it (no per-request close)."""
    if db.is_closed():
        db.connect()


def migrate():
    """Apply pending migrations; return the names applied (idempotent)."""
    ensure_connection()
    return Runner(db.obj, directory=MIGRATIONS_DIR).up()


def schema_version():
    """Return the name of the last migration applied, or None."""
    applied = Runner(db.obj, directory=MIGRATIONS_DIR).applied()
    return max(applied) if applied else None
