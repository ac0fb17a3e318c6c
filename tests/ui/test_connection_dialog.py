"""Server mode: a supervisor points this station at the center's server, with a connection
test; a wrong address is refused in words and what was typed stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.config import DATA_DIR_ENV_VAR, default_database_url
from ui import station_settings
from ui.connection_dialog import ConnectionDialog
from ui.widgets.feedback import Outcome


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def test_an_unreachable_server_is_refused_and_the_address_kept(qtbot) -> None:
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.url.setText("postgresql://floor:secret@127.0.0.1:1/repairfloor")
    dialog.save()
    assert not dialog.result()  # not accepted
    assert dialog.message.outcome is Outcome.ERROR
    assert dialog.url.text().endswith("127.0.0.1:1/repairfloor")
    assert "secret" not in dialog.message.text()
    assert station_settings.DATABASE_URL.get() == ""


def test_the_test_button_answers_off_the_ui_thread(qtbot) -> None:
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.server.setChecked(True)
    dialog.url.setText("mysql://somewhere/db")
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=5000)
    assert not dialog.last_check.ok and dialog.message.outcome is Outcome.ERROR


def test_this_pc_only_remembers_the_local_database(qtbot, database_url) -> None:
    dialog = ConnectionDialog()
    qtbot.addWidget(dialog)
    dialog.local.setChecked(True)
    dialog.save()
    assert dialog.result() and station_settings.DATABASE_URL.get() == default_database_url()
    if database_url.startswith("postgresql"):  # the real server of the PostgreSQL run
        again = ConnectionDialog()
        qtbot.addWidget(again)
        again.server.setChecked(True)
        again.url.setText(database_url.replace("+psycopg", ""))
        again.save()
        assert again.result() and station_settings.DATABASE_URL.get().startswith("postgresql")
