"""Backups and restores of the whole database: SQLite's online backup API, PostgreSQL's
pg_dump and pg_restore; a restore never overwrites records unless told to."""

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from urllib.parse import unquote, urlparse

from peewee import DatabaseError, OperationalError, PostgresqlDatabase, SqliteDatabase

from models import MODELS

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"  # the first bytes of pg_dump's custom format


class BackupError(Exception):
    """A backup or restore that could not be done; its message says why in words."""


def _sqlite_path(url):
    path = url[len("sqlite:///") :]
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return path


def _postgres(url):
    """(libpq keyword arguments, environment) for pg_dump/pg_restore: the password goes in
    the environment, never on a command line others can read."""
    parsed = urlparse(url)
    arguments = [
        f"--host={parsed.hostname or 'localhost'}",
        f"--port={parsed.port or 5432}",
        f"--dbname={unquote(parsed.path.lstrip('/'))}",
    ]
    if parsed.username:
        arguments.append(f"--username={unquote(parsed.username)}")
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = unquote(parsed.password)
    return arguments, environment


def _is_postgres(url):
    return urlparse(url).scheme in ("postgres", "postgresql")


def pg_tool(name):
    """The path of pg_dump or pg_restore: PG_BIN if set, else on PATH, else the newest
    of Debian's /usr/lib/postgresql/<version>/bin."""
    folder = os.environ.get("PG_BIN")
    candidates = [os.path.join(folder, name)] if folder else []
    found = shutil.which(name)
    if found:
        candidates.append(found)
    versions = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates += sorted(versions, key=lambda p: int(p.split("/")[-3].split(".")[0]), reverse=True)
    for path in candidates:
        if os.access(path, os.X_OK):
            return path
    raise BackupError(f"{name} was not found: install PostgreSQL's client tools or set PG_BIN.")


def _run(command, environment):
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{os.path.basename(command[0])} failed: {done.stderr.strip()[-2000:]}")


def backup(url, path):
    """Write a consistent copy of the database at `url` to `path` (replaced whole, only once
    complete), while the server goes on reading and writing; return its size in bytes."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=".backup-", dir=folder)
    os.close(handle)
    try:
        if _is_postgres(url):
            # One snapshot of the whole database, whatever commits while it runs.
            arguments, environment = _postgres(url)
            command = [pg_tool("pg_dump"), "--format=custom", f"--file={partial}", *arguments]
            _run(command + ["--no-owner", "--no-privileges"], environment)
        else:
            _sqlite_backup(_sqlite_path(url), partial)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return os.path.getsize(path)


def _sqlite_backup(source_path, target_path):
    if not os.path.exists(source_path):
        raise BackupError(f"There is no database at {source_path}.")
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        # All pages in one step, under one read transaction: a snapshot, never restarted
        # by the writes other connections commit meanwhile (WAL lets them go on).
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        (check,) = target.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"The copy failed its integrity check: {check}")
    finally:
        target.close()
        source.close()


def _kind_of(path):
    if not os.path.isfile(path):
        raise BackupError(f"There is no backup file at {path}.")
    with open(path, "rb") as handle:
        start = handle.read(16)
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a Muster backup (neither SQLite nor pg_dump's format).")


def records_held(url):
    """How many rows the database's tables of records hold (0 for a new or empty one)."""
    if _is_postgres(url):
        parsed = urlparse(url)
        database = PostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=parsed.username and unquote(parsed.username),
            password=parsed.password and unquote(parsed.password),
            host=parsed.hostname,
            port=parsed.port or 5432,
        )
    else:
        path = _sqlite_path(url)
        if not os.path.exists(path):
            return 0
        database = SqliteDatabase(path)
    try:
        with database.connection_context():
            existing = set(database.get_tables())
            total = 0
            for model in MODELS:
                table = model._meta.table_name
                if table in existing:
                    sql = f'SELECT COUNT(*) FROM "{table}"'
                    total += database.execute_sql(sql).fetchone()[0]
    except (OperationalError, DatabaseError) as error:
        raise BackupError(f"The database cannot be read: {str(error).strip()}") from None
    return total


def restore(url, path, force=False):
    """Replace the database at `url` with the backup at `path`. Refused when the database
    already holds records, unless `force`."""
    kind = _kind_of(path)
    target = "postgresql" if _is_postgres(url) else "sqlite"
    if kind != target:
        raise BackupError(f"{path} is a {kind} backup; this server's database is {target}.")
    held = records_held(url)
    if held and not force:
        raise BackupError(
            f"The database already holds {held:,} records; a restore would replace them all. "
            "Back it up first, then run restore again with --force to overwrite it."
        )
    if target == "postgresql":
        arguments, environment = _postgres(url)
        # --clean drops what the backup will recreate; one transaction: all or nothing.
        command = [pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction"]
        _run(command + ["--no-owner", "--no-privileges", *arguments, path], environment)
        return
    _sqlite_restore(path, _sqlite_path(url))


def _sqlite_restore(backup_path, target_path):
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        (check,) = source.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"The backup failed its integrity check: {check}")
        os.makedirs(os.path.dirname(os.path.abspath(target_path)), exist_ok=True)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            # Page by page into the live file, under its write lock: other connections see
            # the old database or the restored one, never a mixture.
            source.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    finally:
        source.close()
