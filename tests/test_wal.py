"""SQLite's WAL is folded back into the database file beside the writers, so no commit pays
for a checkpoint while the others wait for the write turn, and the WAL stays bounded."""

import os
import threading
import time

import pytest

import database
from database import SQLITE_PRAGMAS, db, in_write_transaction, open_database
from tests.conftest import POSTGRES

pytestmark = pytest.mark.skipif(bool(POSTGRES), reason="SQLite's write-ahead log")


@in_write_transaction
def _write(number):
    db.execute_sql("INSERT INTO note (body) VALUES (?)", (f"note {number:>400}",))


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "wal.db"
    open_database(f"sqlite:///{path}")
    db.connect()
    db.execute_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    yield str(path)
    db.close()


def test_the_wal_stays_near_its_checkpoint_size(notes):
    for number in range(3000):  # ~1,500 pages written, a commit each, back to back
        _write(number)
    pages = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
    page_size = db.execute_sql("PRAGMA page_size").fetchone()[0]
    assert pages == SQLITE_PRAGMAS["wal_autocheckpoint"]
    # The file is reused from its start after each checkpoint, never grown past it.
    assert os.path.getsize(f"{notes}-wal") < 2 * pages * page_size


def test_writers_have_another_thread_fold_the_wal_back(notes, monkeypatch):
    folded = []  # the thread of each checkpoint asked for this file (not earlier tests')

    def fold(path):
        if path == notes:
            folded.append(threading.get_ident())
        return 0

    monkeypatch.setattr(database, "checkpoint", fold)
    monkeypatch.setattr(database, "_checkpoints", {})  # a checkpointer not busy with others'
    for number in range(database.CHECKPOINT_EVERY - 1):
        _write(number)
    time.sleep(0.05)
    assert folded == []
    _write(database.CHECKPOINT_EVERY)
    deadline = time.monotonic() + 10
    while not folded and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(folded) == 1
    assert folded[0] != threading.get_ident()


def test_a_checkpoint_folds_the_wal_back_so_the_next_writer_starts_it_over(notes, monkeypatch):
    monkeypatch.setattr(database, "CHECKPOINT_EVERY", 10**9)  # this test's checkpoint alone
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    for number in range(200):
        _write(number)
    kept, grown = os.path.getsize(notes), os.path.getsize(f"{notes}-wal")
    database.checkpoint(notes)
    assert os.path.getsize(notes) > kept + 10 * 4096  # the notes are in the file now
    for number in range(20):
        _write(number)
    assert os.path.getsize(f"{notes}-wal") == grown  # written again from its start


def test_a_checkpoint_of_a_file_that_is_gone_creates_nothing(tmp_path):
    database.checkpoint(str(tmp_path / "gone.db"))
    assert not (tmp_path / "gone.db").exists()
