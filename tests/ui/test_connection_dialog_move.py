"""The move to the server from the window's database dialog: an administrator on a PC's SQLite
database moves it with the same core service as ``repairfloor move``, off the UI thread, with
each table shown as it goes; the server becomes the station's database and its password stays
out of the settings file. Needs a PostgreSQL server (REPAIRFLOOR_TEST_DB)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from backup_helpers import drop_databases
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import maintenance
from app.admin.backup.moving import _counts
from app.config import DATA_DIR_ENV_VAR
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.models import Role
from app.users import actor_for_username, create_user
from ui import station_settings
from ui.connection_dialog import ConnectionDialog
from ui.widgets.feedback import Outcome

SERVER = os.environ.get("REPAIRFLOOR_TEST_DB")
pytestmark = pytest.mark.skipif(
    not SERVER, reason="needs a PostgreSQL server (REPAIRFLOOR_TEST_DB)"
)


@pytest.fixture
def one_pc(_sqlite_demo_template, tmp_path: Path, monkeypatch) -> Context:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    path = tmp_path / "one-pc.db"
    shutil.copyfile(_sqlite_demo_template, path)
    db = Database(f"sqlite:///{path}")
    create_user(Context(db, SYSTEM_ACTOR, "pc"), "mover", "a-long-password-1", {Role.ADMIN})
    yield Context(db, actor_for_username(db, "mover"), "front-desk")
    db.dispose()


@pytest.fixture
def empty_server() -> str:
    url = make_url(SERVER)
    name = f"{url.database}_dialog_{uuid.uuid4().hex[:6]}"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    yield url.set(database=name, drivername="postgresql", password="s3cret-pw").render_as_string(
        hide_password=False
    )
    drop_databases(Database(SERVER), [name])


def test_an_administrator_moves_the_pcs_database_from_the_dialog(
    qtbot, one_pc, empty_server, monkeypatch, tmp_path
) -> None:
    asked: list[str] = []

    def question(_parent, _title, body, *args, **kwargs):
        asked.append(body)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    with one_pc.db.engine.connect() as connection:
        expected = _counts(connection)
    dialog = ConnectionDialog(None, one_pc)
    qtbot.addWidget(dialog)
    assert dialog.move_button.isVisibleTo(dialog) and not dialog.move_button.isEnabled()
    dialog.server.setChecked(True)
    dialog.url.setText(empty_server)
    steps: list[tuple[str, int, int]] = []
    dialog._progress.table.connect(lambda *step: steps.append(step))
    with qtbot.waitSignal(dialog.moved, timeout=120_000) as moved:
        dialog.move_button.click()
        assert dialog.progress.isVisibleTo(dialog)  # the window stays alive meanwhile
    assert asked and "s3cret-pw" not in asked[0]
    assert "s3cret-pw" not in moved.args[0]
    assert (
        dialog.message.outcome is Outcome.OK
        and str(sum(expected.values())) in dialog.message.text()
    )
    assert len(steps) == len(expected) and steps[-1][1] == steps[-1][2] == len(expected)
    server = Database(
        make_url(empty_server)
        .set(drivername="postgresql+psycopg")
        .render_as_string(hide_password=False)
    )
    with server.engine.connect() as connection:
        copied = _counts(connection)
    server.dispose()
    assert copied["audit_log"] == expected["audit_log"] + 1  # the move's own entry
    assert {t: n for t, n in copied.items() if t != "audit_log"} == {
        t: n for t, n in expected.items() if t != "audit_log"
    }
    remembered = station_settings.DATABASE_URL.get()
    assert remembered.startswith("postgresql+psycopg://") and "s3cret-pw" not in remembered
    for settings_file in (tmp_path / "data").rglob("*.ini"):
        assert "s3cret-pw" not in settings_file.read_text(encoding="utf-8")
    assert maintenance.current_notice(one_pc.db).kind == maintenance.MOVED  # the PC's file


def test_only_an_administrator_on_a_pcs_database_sees_the_move(qtbot, one_pc) -> None:
    clerk = Context(
        one_pc.db, one_pc.actor.__class__(None, "x", "x", frozenset({Role.RECEIVING_CLERK})), "pc"
    )
    dialog = ConnectionDialog(None, clerk)
    qtbot.addWidget(dialog)
    assert not dialog.move_button.isVisibleTo(dialog)
    assert not ConnectionDialog().move_button.isVisibleTo(dialog)  # no station context
