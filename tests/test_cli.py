"""The command line uses the same services: init, backup, restore."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from app import schema
from app.db import Database
from app.errors import InvalidInput
from app.models import User
from repairfloor import cli


@pytest.fixture(autouse=True)
def _own_log_file(isolated_logging):  # the command line sets up logging for the whole process
    return isolated_logging


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def users_in(url: str) -> list[str]:
    db = Database(url)
    with db.read() as session:
        names = list(session.scalars(select(User.username)))
    db.dispose()
    return names


def test_init_creates_the_database_and_the_first_admin_from_the_environment(
    sqlite_url, monkeypatch, capsys
):
    monkeypatch.setenv(cli.ADMIN_PASSWORD_ENV_VAR, "first-admin-1")
    assert cli.main(["--db", sqlite_url, "init", "--admin", "chief"]) == 0
    assert users_in(sqlite_url) == ["chief"]
    assert cli.main(["--db", sqlite_url, "init", "--admin", "chief"]) == 0
    assert "already exists" in capsys.readouterr().out
    assert users_in(sqlite_url) == ["chief"]


def test_init_without_a_terminal_or_password_stops_with_advice(sqlite_url, monkeypatch):
    monkeypatch.delenv(cli.ADMIN_PASSWORD_ENV_VAR, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(SystemExit, match="REPAIRFLOOR_ADMIN_PASSWORD"):
        cli.main(["--db", sqlite_url, "init", "--admin", "chief"])


def test_backup_then_restore_brings_back_every_row(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv(cli.ADMIN_PASSWORD_ENV_VAR, "first-admin-1")
    cli.main(["--db", sqlite_url, "init", "--admin", "chief"])
    backup_file = tmp_path / "floor.sqlite"
    assert cli.main(["--db", sqlite_url, "backup", "--out", str(backup_file)]) == 0
    cli.main(["--db", sqlite_url, "init", "--admin", "second", "--add"])
    assert sorted(users_in(sqlite_url)) == ["chief", "second"]
    assert cli.main(["--db", sqlite_url, "restore", str(backup_file), "--yes"]) == 0
    assert users_in(sqlite_url) == ["chief"]


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(
    sqlite_url, tmp_path, monkeypatch
):
    monkeypatch.setenv(cli.ADMIN_PASSWORD_ENV_VAR, "first-admin-1")
    cli.main(["--db", sqlite_url, "init", "--admin", "chief"])
    bogus = tmp_path / "photo.jpg"
    bogus.write_bytes(b"\xff\xd8\xff not a database")
    assert cli.main(["--db", sqlite_url, "restore", str(bogus), "--yes"]) == 2
    assert users_in(sqlite_url) == ["chief"]


def test_restore_refuses_a_backup_from_a_newer_schema(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv(cli.ADMIN_PASSWORD_ENV_VAR, "first-admin-1")
    cli.main(["--db", sqlite_url, "init", "--admin", "chief"])
    newer = tmp_path / "newer.sqlite"  # a bare SQLite file, as backups were before manifests
    Database(sqlite_url).dispose()
    shutil.copyfile(sqlite_url.removeprefix("sqlite:///"), newer)
    other = Database(f"sqlite:///{newer}")
    with other.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    other.dispose()
    from app.admin import backup

    with pytest.raises(InvalidInput, match="newer RepairFloor"):
        backup.restore(Database(sqlite_url), newer)
    db = Database(sqlite_url)
    assert schema.is_current(db)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


def test_verify_and_list_check_a_file_and_say_what_it_holds(
    sqlite_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(cli.ADMIN_PASSWORD_ENV_VAR, "first-admin-1")
    cli.main(["--db", sqlite_url, "init", "--admin", "chief"])
    backup_file = tmp_path / "floor.rfbackup"
    assert cli.main(["--db", sqlite_url, "backup", "--out", str(backup_file)]) == 0
    capsys.readouterr()
    assert cli.main(["backup", "--verify", str(backup_file)]) == 0
    assert "is whole: it can be restored" in capsys.readouterr().out
    assert cli.main(["restore", "--list", str(backup_file)]) == 0
    listing = capsys.readouterr().out
    assert "sqlite backup of" in listing and "SHA-256" in listing
    assert any(line.split() == ["users", "1"] for line in listing.splitlines())
    cut = tmp_path / "cut.rfbackup"
    cut.write_bytes(backup_file.read_bytes()[:-100])
    assert cli.main(["backup", "--verify", str(cut)]) == 2
    assert "damaged or incomplete" in capsys.readouterr().err
