"""One log file for every module: what support finds in Help > About and in the support archive."""

from __future__ import annotations

import logging
import threading
import zipfile
from pathlib import Path

from sqlalchemy.exc import OperationalError

from app import logs
from app.admin import diagnostics
from app.db import Database
from app.livesync import ChangeWatcher
from repairfloor import cli


def log_text(data_dir: Path) -> str:
    logs.flush()
    return (data_dir / "logs" / logs.LOG_FILE_NAME).read_text(encoding="utf-8")


def test_the_change_watcher_losing_its_connection_reaches_the_log_file(
    db: Database, isolated_logging: Path
) -> None:
    logs.configure()
    watcher = ChangeWatcher(db)

    def server_gone() -> None:
        watcher._stop.set()  # one round is enough
        raise OperationalError("LISTEN", {}, Exception("server closed the connection"))

    watcher._run(server_gone)

    text = log_text(isolated_logging)
    assert "WARNING app.livesync" in text
    assert "change watcher: connection lost, retrying" in text
    assert "server closed the connection" in text


def test_the_command_line_sets_up_the_log_file_for_every_module(
    isolated_logging: Path, tmp_path: Path
) -> None:
    cli.main(["--db", f"sqlite:///{tmp_path / 'cli.db'}", "backup", "--out", str(tmp_path / "b")])
    logging.getLogger("app.livesync").warning("change watcher: connection lost, retrying")
    logging.getLogger("app.shipping.shipments").info("waybill printed")
    logging.getLogger("sqlalchemy.engine").info("SELECT 1")  # libraries: warnings only

    text = log_text(isolated_logging)
    assert "app.livesync" in text and "connection lost" in text
    assert "waybill printed" in text
    assert "SELECT 1" not in text


def test_a_crash_in_a_worker_thread_is_logged(isolated_logging: Path, capsys) -> None:
    logs.configure()
    logs.install_exception_hooks()

    def scanner() -> None:
        raise RuntimeError("the scanner fell over")

    thread = threading.Thread(target=scanner, name="scanner")
    thread.start()
    thread.join()

    text = log_text(isolated_logging)
    assert "Unexpected error in thread scanner" in text
    assert "RuntimeError: the scanner fell over" in text and "Traceback" in text
    assert "the scanner fell over" in capsys.readouterr().err  # still printed, as before


def test_configuring_twice_keeps_one_handler_and_follows_a_moved_data_dir(
    isolated_logging: Path, monkeypatch, tmp_path: Path
) -> None:
    logs.configure()
    logs.configure()
    monkeypatch.setenv("REPAIRFLOOR_DATA_DIR", str(tmp_path / "moved"))
    path = logs.configure()

    ours = [h for h in logging.getLogger().handlers if isinstance(h, logs.LogFileHandler)]
    assert (
        [Path(h.baseFilename) for h in ours] == [path] == [tmp_path / "moved/logs/repairfloor.log"]
    )


def test_the_log_folder_is_in_the_data_dir_and_the_archive_collects_it(
    db: Database, isolated_logging: Path, tmp_path: Path
) -> None:
    logs.configure()
    logging.getLogger("app.livesync").warning("change watcher: connection lost, retrying")

    assert diagnostics.collect(db).log_dir == str(isolated_logging / "logs")
    out = diagnostics.write_support_archive(tmp_path / "support.zip", db)
    with zipfile.ZipFile(out) as archive:
        assert "connection lost" in archive.read("logs/repairfloor.log").decode("utf-8")
