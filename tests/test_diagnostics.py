"""About / diagnostics: what support sees, and the zip that never carries a password."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app import schema, settings, users
from app.admin import diagnostics
from app.config import DATA_DIR_ENV_VAR, log_dir
from app.context import Context
from app.db import Database
from app.models import Role


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    return tmp_path / "data"


def test_diagnostics_name_the_version_the_database_and_its_schema(
    db: Database, data_dir: Path
) -> None:
    info = diagnostics.collect(db)

    assert info.version
    assert info.schema_revision == schema.HEAD_REVISION == info.schema_head
    assert info.schema_is_current
    assert info.database == db.display_name
    assert info.log_dir == str(data_dir / "logs")


def test_a_database_url_is_shown_without_its_password() -> None:
    shown = diagnostics.safe_url("postgresql+psycopg://rf:s3cret@db.center/repairfloor")

    assert "s3cret" not in shown
    assert "db.center/repairfloor" in shown


def test_the_support_archive_holds_logs_and_settings_but_no_password(
    db: Database, admin: Context, data_dir: Path, tmp_path: Path
) -> None:
    settings.put(
        admin,
        settings.CENTER_NAME,
        "深圳维修中心",
        expected_version=settings.setting_version(admin, settings.CENTER_NAME),
    )
    users.create_user(admin, "li", "li-secret-99", {Role.TECHNICIAN}, display_name="李工")
    logs = log_dir()
    (logs / "repairfloor.log").write_text("2026-11-24 ERROR printer offline\n", encoding="utf-8")
    station = {
        "ui/language": "zh_CN",
        "station/database_url": "postgresql+psycopg://rf:s3cret@db.center/repairfloor",
        "login/last_password": "never-this",
        "main_window/geometry": b"\x01\x02",
    }

    out = diagnostics.write_support_archive(tmp_path / "support.zip", db, station)

    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert {"diagnostics.json", "center-settings.json", "station-settings.json"} <= names
        assert "logs/repairfloor.log" in names
        center = json.loads(archive.read("center-settings.json"))
        assert center["center.name"] == "深圳维修中心"
        kept = json.loads(archive.read("station-settings.json"))
        assert kept["ui/language"] == "zh_CN"
        assert "login/last_password" not in kept
        assert "main_window/geometry" not in kept
        everything = b"".join(archive.read(name) for name in names)
    assert b"s3cret" not in everything
    assert b"never-this" not in everything
    assert b"li-secret-99" not in everything
    assert b"scrypt$" not in everything  # no password hashes


def test_the_archive_is_named_by_the_moment() -> None:
    from datetime import datetime

    assert diagnostics.support_archive_name(datetime(2026, 11, 24, 9, 5, 1)) == (
        "repairfloor-support-20261124-090501.zip"
    )
