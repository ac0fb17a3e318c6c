"""Choosing the center's server with a password: the station's settings file never holds the
password (it is kept by ``app.credentials``), and a file an older version wrote is cleaned."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.config import DATA_DIR_ENV_VAR, default_database_url
from ui import station_settings
from ui.connection_dialog import ConnectionDialog
from ui.settings import qsettings

SERVER = "postgresql+psycopg://floor:Pw-4e1d-never-in-ini@db.center/repairfloor"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    return tmp_path / "data"


def settings_text(data_dir: Path) -> str:
    qsettings().sync()
    return (data_dir / "ui-settings.ini").read_text(encoding="utf-8")


def test_a_chosen_server_is_remembered_without_its_password(data_dir: Path) -> None:
    station_settings.remember_database_url(SERVER)

    text = settings_text(data_dir)
    assert "db.center/repairfloor" in text
    assert "Pw-4e1d-never-in-ini" not in text
    opened = station_settings.database_url(default_database_url())
    assert make_url(opened).password == "Pw-4e1d-never-in-ini"  # the station still connects


def test_a_settings_file_holding_a_password_is_cleaned_on_first_read(data_dir: Path) -> None:
    station_settings.DATABASE_URL.set(SERVER)  # as an older version wrote it
    assert "Pw-4e1d-never-in-ini" in settings_text(data_dir)

    opened = station_settings.database_url(default_database_url())

    assert make_url(opened).password == "Pw-4e1d-never-in-ini"
    assert "Pw-4e1d-never-in-ini" not in settings_text(data_dir)
    assert "Pw-4e1d-never-in-ini" in (data_dir / "pgpass").read_text(encoding="utf-8")


def test_the_connection_dialog_saves_the_server_without_its_password(
    qtbot, data_dir: Path, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs a server to connect to: the PostgreSQL run")
    secret = "dialog-pw-91b2"  # the test server trusts any password
    typed = make_url(database_url).set(password=secret).render_as_string(hide_password=False)
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.url.setText(typed)
    dialog.save()

    assert dialog.result()
    assert secret not in settings_text(data_dir)
    again = ConnectionDialog()  # opened later: the address, and a save still connects
    qtbot.addWidget(again)
    assert secret not in again.url.text() and again.url.text().startswith("postgresql")
    again.save()
    assert again.result()
    assert make_url(station_settings.database_url(default_database_url())).password == secret
