"""SQLite's WAL is folded back into the database file often, so no commit pays for a long one."""

import os

import pytest

from database import SQLITE_PRAGMAS, db, in_write_transaction, open_database
from tests.conftest import POSTGRES

pytestmark = pytest.mark.skipif(bool(POSTGRES), reason="SQLite's write-ahead log")


@in_write_transaction
def _write(number):
    db.execute_sql("INSERT INTO note (body) VALUES (?)", (f"note {number:>400}",))


def test_the_wal_stays_near_its_checkpoint_size(tmp_path):
    path = tmp_path / "wal.db"
    open_database(f"sqlite:///{path}")
    try:
        db.connect()
        db.execute_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        for number in range(3000):  # ~1,500 pages written, a commit each
            _write(number)
        pages = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
        page_size = db.execute_sql("PRAGMA page_size").fetchone()[0]
        assert pages == SQLITE_PRAGMAS["wal_autocheckpoint"] < 1000
        # The file is reused from its start after each checkpoint, never grown past it.
        assert os.path.getsize(f"{path}-wal") < 2 * pages * page_size
    finally:
        db.close()
