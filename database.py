"""The peewee database proxy, its connection policy, write transactions and migrations."""

import contextlib
import fcntl
import functools
import os
import queue
import random
import sqlite3
import threading
import time
from urllib.parse import quote, urlparse

from peewee import (
    DatabaseProxy,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
    __exception_wrapper__,
)
from playhouse.migrations import Runner

db = DatabaseProxy()

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": "normal",
    # SQLite folds the WAL back into the file inside the commit that crosses this many
    # pages, while that writer still holds the write turn (every writer queued behind its
    # fsyncs). Writers here ask a thread of their own process to do it outside the turn
    # (checkpoint_soon); this stays as the bound for anything else that writes.
    "wal_autocheckpoint": 1000,
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
        database = Postgres(
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


class Postgres(PostgresqlDatabase):
    """PostgreSQL whose transactions spend no round trip of their own: BEGIN is sent with
    the transaction's first statement, and writes whose answer nobody reads (run_at_commit)
    with the next statement or the COMMIT. peewee runs psycopg2 in autocommit, so BEGIN and
    COMMIT were each one more trip to the server: a quarter of a one-row write's."""

    def _owes(self):
        state = self._state
        return getattr(state, "opening", False) or bool(getattr(state, "later", None))

    def _owed(self):
        """The SQL this thread's transaction owes the server before its next statement (a
        BEGIN not sent yet, writes left for later) and their parameters; now cleared."""
        state = self._state
        sql = ["BEGIN"] if getattr(state, "opening", False) else []
        params = []
        for statement, values in getattr(state, "later", ()):
            sql.append(statement)
            params.extend(values)
        state.opening, state.later = False, []
        return sql, params

    def begin(self, isolation_level=None):
        if isolation_level or self._isolation_level:
            return super().begin(isolation_level)
        self.connection()  # connected now, so connecting cannot drop the BEGIN owed
        self._state.opening = True
        return None

    def _execute_cursor(self, sql, params, **cursor_options):
        if not self._owes():
            return super()._execute_cursor(sql, params, **cursor_options)
        owed, values = self._owed()
        # One simple query: psycopg2 binds the parameters in the client, the server runs
        # the statements in order and the cursor holds the last one's answer.
        return super()._execute_cursor("; ".join([*owed, sql]), [*values, *(params or ())])

    def connection(self):
        """The connection, anything owed sent first (for a caller with a cursor of its own:
        a named one, a COPY)."""
        connection = self.connection_as_is()
        if self._owes():
            owed, values = self._owed()
            with __exception_wrapper__, connection.cursor() as cursor:
                cursor.execute("; ".join(owed), values)
        return connection

    def cursor(self, named_cursor=None):
        self.connection()
        return super().cursor(named_cursor)

    def connection_as_is(self):
        """The connection, sending nothing owed (to key what belongs to it)."""
        return super().connection()

    def run_at_commit(self, sql, params):
        """Run a write whose answer nobody reads with the transaction's next statement or
        its COMMIT (at once outside a transaction); its error fails the transaction there."""
        if not self.in_transaction():
            return self.execute_sql(sql, params)
        self._state.later = [*getattr(self._state, "later", ()), (sql, params)]
        return None

    def commit(self):
        if not self._owes():
            return super().commit()
        owed, values = self._owed()
        if owed == ["BEGIN"]:
            return None  # nothing ran: nothing to commit
        return self.execute_sql("; ".join([*owed, "COMMIT"]), values)

    def rollback(self):
        sent = not getattr(self._state, "opening", False)  # else nothing to roll back
        self._owed()
        return super().rollback() if sent else None


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
    checkpoint_soon(path)


# A writer's commits between the checkpoints it asks for (a one-row PUT writes ~6 pages).
CHECKPOINT_EVERY = 16
_checkpoints = {}


def checkpoint_soon(path):
    """Count a commit to this SQLite file; every CHECKPOINT_EVERY, have this process's
    checkpointer fold the WAL back into the file (a PASSIVE checkpoint: it copies and
    fsyncs beside the writers, never holding the write turn, so no writer waits for it)."""
    if path == ":memory:":
        return
    key = os.getpid()  # the thread and its queue belong to the process that made them
    found = _checkpoints.get(key)
    if found is None:
        mine = {"queue": queue.SimpleQueue(), "commits": {}}
        found = _checkpoints.setdefault(key, mine)
        if found is mine:
            threading.Thread(target=_checkpointer, args=(mine["queue"],), daemon=True).start()
    commits = found["commits"]
    commits[path] = commits.get(path, 0) + 1
    if commits[path] >= CHECKPOINT_EVERY:
        commits[path] = 0
        found["queue"].put(path)


def _checkpointer(paths):
    behind = set()  # files whose WAL was past SQLite's own bound at their last checkpoint
    while True:
        asked = {paths.get()}
        while not paths.empty():  # asked again while the last one ran: once will do
            asked.add(paths.get())
        for path in asked:
            if path in behind:
                # Under a steady stream of commits a checkpoint beside them never catches
                # up, so the WAL is never started over; this once, the commit's own
                # checkpoint (which a running one would make give up) folds back the rest.
                behind.discard(path)
                continue
            frames = checkpoint(path)
            if frames >= SQLITE_PRAGMAS["wal_autocheckpoint"]:
                behind.add(path)


def checkpoint(path):
    """Fold the WAL of the SQLite file at `path` back into it, as far as no reader needs
    it, on a short connection of its own (never one that creates a file that is gone);
    the frames the WAL holds (0 if it could not)."""
    try:
        connection = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=rw", uri=True)
        try:
            return connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
        finally:
            connection.close()
    except sqlite3.Error:
        return 0  # SQLite's own autocheckpoint still bounds the WAL


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
