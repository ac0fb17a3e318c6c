"""Power loss: ``repairfloor restore`` and ``repairfloor backup`` killed with SIGKILL (the whole
process group, pg_restore included) at random moments leave the old database or the new one,
whole, and never a backup file that is not whole."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from backup_helpers import databases_like, drop_databases, fingerprint, server_engine
from sqlalchemy import text

from app.admin import backup
from app.db import Database
from app.errors import InvalidInput

ATTEMPTS = 6
AUDIT = "audit_log"


def run_cli(url: str, data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "repairfloor", "--db", url, *args],
        env={**os.environ, "REPAIRFLOOR_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes pg_restore with it
    )


def kill_after(process: subprocess.Popen, seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Live:
    """The live database and a way to put it back to a saved state between attempts."""

    def __init__(self, db: Database, tmp_path: Path) -> None:
        self.db, self.tmp_path = db, tmp_path
        self.url = db.url.render_as_string(hide_password=False)
        self.saved = f"{db.url.database}_saved" if not db.is_sqlite else str(tmp_path / "saved.db")

    def save(self) -> None:
        self.db.dispose()
        if self.db.is_sqlite:
            source, target = sqlite3.connect(str(self.db.url.database)), sqlite3.connect(self.saved)
            with target:
                source.backup(target)
            source.close()
            target.close()
            return
        with server_engine(self.db).connect() as connection:
            connection.execute(
                text(f'CREATE DATABASE "{self.saved}" TEMPLATE "{self.db.url.database}"')
            )

    def put_back(self) -> None:
        self.db.dispose()
        if self.db.is_sqlite:
            live = Path(str(self.db.url.database))
            for suffix in ("-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.saved, live)
            return
        drop_databases(self.db, [str(self.db.url.database)])
        with server_engine(self.db).connect() as connection:
            connection.execute(
                text(f'CREATE DATABASE "{self.db.url.database}" TEMPLATE "{self.saved}"')
            )

    def state(self) -> tuple[dict, tuple[int, str]]:
        """Every table but the audit log, and the audit log, after SQLite's integrity check."""
        if self.db.is_sqlite:
            with self.db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        rows = fingerprint(self.db)
        return rows, rows.pop(AUDIT)

    def clean_up(self) -> None:
        self.db.dispose()
        if not self.db.is_sqlite:
            leftovers = databases_like(self.db, "before\\_restore") + databases_like(
                self.db, "restoring"
            )
            drop_databases(self.db, [*leftovers, self.saved])


@pytest.fixture
def live(demo_db, tmp_path):
    state = Live(demo_db, tmp_path)
    yield state
    state.clean_up()


def test_restore_killed_at_any_moment_leaves_the_old_or_the_new_database_whole(live, tmp_path):
    good = backup.backup(live.db, tmp_path / "good.rfbackup")
    new_tables, new_audit = live.state()
    with live.db.engine.begin() as connection:  # the work a restore would replace
        for table in ("survey_answers", "care_tasks", "follow_ups"):  # the calls
            connection.execute(text(f"DELETE FROM {table}"))
    old_tables, old_audit = live.state()
    live.save()
    started = time.monotonic()
    full = run_cli(live.url, tmp_path / "data", "restore", str(good), "--yes")
    assert full.wait(timeout=300) == 0
    whole_run = time.monotonic() - started
    assert live.state()[0] == new_tables
    outcomes = []
    for attempt in range(ATTEMPTS):
        live.put_back()
        moment = whole_run * (attempt + random.random()) / ATTEMPTS
        kill_after(run_cli(live.url, tmp_path / "data", "restore", str(good), "--yes"), moment)
        tables, audit_log = live.state()
        if tables == old_tables:
            assert audit_log == old_audit, f"killed at {moment:.2f}s: the old tables, not its audit"
            outcomes.append("old")
        else:
            assert tables == new_tables, f"killed at {moment:.2f}s: neither old nor new"
            assert audit_log[0] == new_audit[0] + 1  # the backup's, and the restore's own entry
            outcomes.append("new")
    print(f"restore of {whole_run:.1f}s killed {ATTEMPTS} times: {outcomes}")
    live.put_back()  # after the kills, a restore still works
    assert run_cli(live.url, tmp_path / "data", "restore", str(good), "--yes").wait(300) == 0
    assert live.state()[0] == new_tables


def test_backup_killed_at_any_moment_leaves_no_file_that_is_not_whole(live, tmp_path):
    backup.backup(live.db, tmp_path / "first.rfbackup")  # the center's id exists from now on
    before = fingerprint(live.db)
    live.db.dispose()
    started = time.monotonic()
    out = tmp_path / "full.rfbackup"
    assert run_cli(live.url, tmp_path / "data", "backup", "--out", str(out)).wait(300) == 0
    whole_run = time.monotonic() - started
    written = 0
    for attempt in range(ATTEMPTS):
        out = tmp_path / f"killed-{attempt}.rfbackup"
        moment = whole_run * (attempt + random.random()) / ATTEMPTS
        kill_after(run_cli(live.url, tmp_path / "data", "backup", "--out", str(out)), moment)
        if out.exists():
            written += 1
            backup.verify(out)  # raises unless whole
        else:
            with pytest.raises(InvalidInput, match="does not exist"):
                backup.verify(out)
        assert fingerprint(live.db) == before
    print(f"backup of {whole_run:.1f}s killed {ATTEMPTS} times: {written} files written whole")
