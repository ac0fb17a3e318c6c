"""The other stations during a restore: station B is told, lets go of the database, refuses its
own reads and writes with the reason (never a driver error, nothing changed), and after the switch
reads the restored data once it signs in again; nothing lands in the database that was replaced.
On SQLite (a marker file beside the database) and PostgreSQL (a comment on the database + NOTIFY).
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from backup_helpers import drop_databases, fingerprint, kept_copies
from sqlalchemy import text

from app import maintenance
from app.admin import backup
from app.db import Database
from app.livesync import ChangeWatcher
from app.maintenance import DatabaseClosed

pytestmark = pytest.mark.own_database  # a restore must be alone on its database

WAIT_S = 20.0


def note_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(text("SELECT count(*) FROM settings WHERE key LIKE 'b.%'")))


def write_a_note(db: Database, key: str) -> None:
    with db.transaction() as session:
        session.execute(
            text("INSERT INTO settings (key, value) VALUES (:key, '\"1\"')"), {"key": key}
        )


class StationB:
    """A second station on the same database, with its change watcher (as the window has)."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.told = threading.Event()
        self.back = threading.Event()
        self.refusals: list[Exception] = []
        self.watcher = ChangeWatcher(
            self.db, poll_seconds=0.1, on_closed=self._closed, on_back=self.back.set
        ).start()
        assert self.watcher.ready.wait(WAIT_S)

    def _closed(self, refusal: Exception) -> None:
        self.refusals.append(refusal)
        self.told.set()

    def stop(self) -> None:
        self.watcher.stop()
        self.db.dispose()


@pytest.fixture
def live(demo_db, tmp_path):
    good = backup.backup(demo_db, tmp_path / "good.rfbackup")
    station_b = StationB(demo_db.url.render_as_string(hide_password=False))
    yield demo_db, good, station_b
    station_b.stop()
    if not demo_db.is_sqlite:
        drop_databases(demo_db, kept_copies(demo_db))


def test_station_b_is_told_refuses_its_writes_and_reads_the_restored_data_after(live, tmp_path):
    db, good, b = live
    write_a_note(b.db, "b.before")  # B works (its pool holds a connection, as a window's does)
    before = fingerprint(db)
    done: list[object] = []
    restoring = threading.Thread(
        target=lambda: done.append(
            backup.restore(db, good, keep_dir=tmp_path / "kept", actor=db_actor(), station="A")
        )
    )
    restoring.start()
    try:
        assert b.told.wait(WAIT_S), "station B was never told of the restore"
        assert "being restored by Admin Wang at A" in str(b.refusals[0])
        with pytest.raises(DatabaseClosed, match="being restored"):
            write_a_note(b.db, "b.during")  # refused before any connection: no driver error
        with pytest.raises(DatabaseClosed):
            note_count(b.db)
    finally:
        restoring.join(300)
    assert done, "the restore did not finish"
    assert b.back.wait(WAIT_S), "station B never heard that the restore is over"
    with pytest.raises(DatabaseClosed):  # closed until it signs in again
        write_a_note(b.db, "b.still")
    b.db.reopen()  # signing in again
    assert note_count(b.db) == 0  # the restored data: the backup had no note of B's
    assert fingerprint(b.db)["repair_orders"] == before["repair_orders"]
    write_a_note(b.db, "b.after")
    assert note_count(db) == 1  # into the live (restored) database ...
    kept = done[0].kept
    if db.is_sqlite:  # ... and nothing of B's after the restore began in what it replaced
        replaced = backup.verify(tmp_path / "kept" / os.path.basename(kept))
        assert replaced.tables["settings"] == before["settings"][0]
    else:
        old = Database(db.url.set(database=kept).render_as_string(hide_password=False))
        assert fingerprint(old) == before
        old.dispose()


def db_actor():
    from app.context import Actor
    from app.models.enums import Role

    return Actor(1, "admin", "Admin Wang", frozenset({Role.ADMIN}))


def test_a_refused_restore_tells_the_stations_it_is_over(live, tmp_path):
    db, _, b = live
    cut = tmp_path / "cut.rfbackup"
    cut.write_bytes((tmp_path / "good.rfbackup").read_bytes()[:-100])
    # A refusal before the work starts (a cut file) closes nobody.
    with pytest.raises(Exception, match="damaged|cut|not a RepairFloor"):
        backup.restore(db, cut, keep_dir=tmp_path / "kept")
    assert not b.told.is_set()
    assert maintenance.current_notice(db) is None
    write_a_note(b.db, "b.fine")


@pytest.mark.skipif(
    bool(os.environ.get("REPAIRFLOOR_TEST_DB")), reason="the marker file is SQLite's"
)
def test_a_killed_restorers_marker_is_over_at_once_and_a_moved_file_refuses_for_good(db):
    path = maintenance.marker_path(db)
    dead = maintenance.Notice(
        "restore",
        "x",
        "y",
        "someone",
        time.time(),
        host=__import__("socket").gethostname(),
        pid=2**22 + 7,
    )
    path.write_text(dead.dumps(), encoding="utf-8")
    assert maintenance.current_notice(db) is None
    write_a_note(db, "b.fine")  # a killed restore blocks nobody
    maintenance.mark_moved(db, "postgresql+psycopg://rf@server/rf", "admin", "A")
    with pytest.raises(DatabaseClosed, match="moved to the server postgresql"):
        write_a_note(db, "b.lost")
    path.unlink()
    db.reopen()
    assert note_count(db) == 1
