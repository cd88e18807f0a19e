"""The peewee database proxy, its connection policy, write transactions and migrations."""

import contextlib
import fcntl
import functools
import os
import random
import threading
import time
from urllib.parse import urlparse

from peewee import DatabaseProxy, OperationalError, PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Runner

db = DatabaseProxy()

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": "normal",
    # SQLite folds the WAL back into the file inside the commit that crosses this many
    # pages, while that writer still holds the write turn; at the default 1,000 (~110
    # one-row PUTs) it took ~10-14 ms, and every writer queued behind it: the PUTs' p99.
    # A tenth as many pages costs ~1-2 ms a time.
    "wal_autocheckpoint": 100,
}


def open_database(url, prepared=True):
    """Bind the proxy to the database named by a URL (sqlite:/// or postgresql://);
    `prepared`: whether statements.py may prepare its queries on PostgreSQL."""
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
    database.prepares = prepared and isinstance(database, PostgresqlDatabase)
    db.initialize(database)
    return database


def ensure_connection():
    """Open this worker's connection once and keep it (no per-request close)."""
    if db.is_closed():
        db.connect()


class Busy(Exception):
    """The database stayed busy through every retry; the client may try again shortly."""


RETRIES = 8
# PostgreSQL's codes for a transaction that lost a race and may simply be run again.
RETRYABLE_PGCODES = {"40001", "40P01", "55P03"}


def _retryable(error):
    if getattr(error, "pgcode", None) in RETRYABLE_PGCODES:
        return True
    return "database is locked" in str(error) or "database is busy" in str(error)


def write_transaction():
    """A transaction that takes the write lock when it begins (SQLite's BEGIN IMMEDIATE).

    A deferred SQLite transaction that reads first and then writes must upgrade its lock,
    and that upgrade fails at once with "database is locked" whatever the busy timeout;
    taking the lock up front makes it wait its turn instead. SQLite writers also queue for
    their turn first (writer_turn), so they are woken when it comes instead of polling.
    """
    if isinstance(db.obj, SqliteDatabase):
        return _sqlite_write(db.obj.database)
    return db.atomic()


@contextlib.contextmanager
def _sqlite_write(path):
    with writer_turn(path), db.atomic(lock_type="IMMEDIATE"):
        yield


# How long a writer queues for its turn before leaving it to SQLite's own busy wait.
QUEUE_SECONDS = 10.0
_turn = threading.Lock()
_depth = threading.local()
_queue_files = {}


@contextlib.contextmanager
def writer_turn(path):
    """Wait for this SQLite file's write turn: a lock among this process's threads, then an
    flock on a file beside the database among processes (released by the kernel if a
    process dies). SQLite's own busy handler sleeps up to 100 ms between tries, so a dozen
    threads of two gunicorn workers contending for the write lock waited far longer than
    the writes take; queued, each is woken as soon as the one before commits."""
    depth = getattr(_depth, "value", 0)
    if depth or path == ":memory:":
        _depth.value = depth + 1
        try:
            yield
        finally:
            _depth.value = depth
        return
    deadline = time.monotonic() + QUEUE_SECONDS
    held = _turn.acquire(timeout=QUEUE_SECONDS)
    queue_file = _queue_file(path) if held else None
    try:
        while queue_file is not None:
            try:
                fcntl.flock(queue_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    queue_file = None
                    break
                time.sleep(0.0005)
        _depth.value = 1
        yield
    finally:
        _depth.value = 0
        if queue_file is not None:
            fcntl.flock(queue_file, fcntl.LOCK_UN)
        if held:
            _turn.release()


def _queue_file(path):
    """This process's descriptor of the database's queue file (opened after any fork)."""
    key = (os.getpid(), path)
    if key not in _queue_files:
        try:
            _queue_files[key] = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
    return _queue_files[key]


def in_write_transaction(function):
    """Run `function` in one write transaction, retried a bounded number of times when it
    loses a race for the database; nested calls join the transaction already open."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if db.in_transaction():
            return function(*args, **kwargs)
        for attempt in range(RETRIES):
            try:
                with write_transaction():
                    return function(*args, **kwargs)
            except Exception as error:  # psycopg2's errors are not OperationalError
                if not (isinstance(error, OperationalError) or hasattr(error, "pgcode")):
                    raise
                if not _retryable(error) or attempt == RETRIES - 1:
                    if _retryable(error):
                        raise Busy("The database is busy; try again shortly.") from error
                    raise
                time.sleep(min(2.0, 0.02 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    return run


def migrate():
    """Apply pending migrations; return the names applied (idempotent)."""
    ensure_connection()
    return Runner(db.obj, directory=MIGRATIONS_DIR).up()


def schema_version():
    """Return the name of the last migration applied, or None."""
    applied = Runner(db.obj, directory=MIGRATIONS_DIR).applied()
    return max(applied) if applied else None
