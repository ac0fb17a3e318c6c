"""The first-run wizard sets up a floor PC: a SQLite database in the data dir and an admin who
can sign in; a refusal keeps what was typed. Also the About / diagnostics dialog."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app import settings, users
from app.admin import first_run
from app.clock import ManualClock
from app.config import DATA_DIR_ENV_VAR, default_database_url
from app.context import Context
from app.db import Database
from ui import station_settings
from ui.first_run import (
    ADMIN_PAGE,
    CENTER_PAGE,
    DEMO_PAGE,
    STATION_PAGE,
    FirstRunWizard,
    needs_first_run,
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    monkeypatch.delenv("REPAIRFLOOR_DB", raising=False)
    return tmp_path / "data"


def open_wizard(qtbot: QtBot, url: str) -> FirstRunWizard:
    wizard = FirstRunWizard(url)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def fill_to_the_end(wizard: FirstRunWizard, password: str = "secret-123") -> None:
    assert wizard.place.local.isChecked()
    wizard.next()
    assert wizard.currentId() == ADMIN_PAGE
    wizard.admin.username.setText("zhang")
    wizard.admin.password.setText(password)
    wizard.admin.repeated.setText(password)
    wizard.next()
    assert wizard.currentId() == CENTER_PAGE
    wizard.center.name.setText("深圳华强北维修中心")
    wizard.center.address.setText("深圳市福田区华强北路1号")
    wizard.center.phone.setText("0755-88886666")
    wizard.center.letterhead.setPlainText("深圳华强北维修中心 售后服务部")
    wizard.next()
    assert wizard.currentId() == STATION_PAGE
    wizard.station.name.setText("前台1号")
    wizard.next()
    assert wizard.currentId() == DEMO_PAGE


def test_the_wizard_sets_up_this_pc_and_an_admin_who_can_sign_in(
    qtbot: QtBot, data_dir: Path
) -> None:
    url = default_database_url()
    assert needs_first_run(url)
    wizard = open_wizard(qtbot, url)
    fill_to_the_end(wizard)

    with qtbot.waitSignal(wizard.accepted, timeout=20_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()

    assert wizard.chosen_url == url
    assert not needs_first_run(url)
    db = Database(url)
    try:
        actor = users.authenticate(
            db, "zhang", "secret-123", station="前台1号", clock=ManualClock()
        )
        assert actor.username == "zhang"
        with db.read() as session:
            assert settings.get(session, settings.CENTER_NAME) == "深圳华强北维修中心"
            assert settings.get(session, settings.CENTER_PHONE) == "0755-88886666"
    finally:
        db.dispose()
    assert station_settings.STATION_NAME.get() == "前台1号"
    assert station_settings.DATABASE_URL.get() == ""  # the default file: nothing to remember
    assert station_settings.database_url(url) == url


def test_a_short_password_is_refused_on_its_page(qtbot: QtBot, data_dir: Path) -> None:
    wizard = open_wizard(qtbot, default_database_url())
    wizard.next()
    wizard.admin.password.setText("123")
    wizard.admin.repeated.setText("123")

    wizard.next()

    assert wizard.currentId() == ADMIN_PAGE
    assert "8" in wizard.admin.error.text()


def test_a_failed_setup_is_shown_and_keeps_what_was_typed(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = open_wizard(qtbot, default_database_url())
    fill_to_the_end(wizard)
    from app.errors import Unavailable

    def refuse(_answers: first_run.FirstRunAnswers) -> first_run.FirstRunResult:
        raise Unavailable("Cannot set up the database {url}: {detail}", url="x", detail="disk full")

    monkeypatch.setattr(first_run, "set_up", refuse)
    wizard.button(QWizard.WizardButton.FinishButton).click()

    qtbot.waitUntil(lambda: "disk full" in wizard.finish_page.status.text(), timeout=5_000)
    assert wizard.isVisible()
    assert wizard.currentId() == DEMO_PAGE
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert wizard.center.name.text() == "深圳华强北维修中心"
    assert wizard.admin.password.text() == "secret-123"


def test_the_server_choice_needs_a_connection_test(qtbot: QtBot, data_dir: Path) -> None:
    wizard = open_wizard(qtbot, default_database_url())
    wizard.place.server.setChecked(True)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.place.url.setText("sqlite:///not-a-server.db")

    wizard.next()
    assert wizard.currentId() != ADMIN_PAGE
    wizard.place.test_button.click()
    qtbot.waitUntil(lambda: wizard.place.check is not None, timeout=5_000)

    assert "PostgreSQL" in wizard.place.result.text() or "postgresql" in wizard.place.result.text()
    wizard.next()
    assert wizard.currentId() != ADMIN_PAGE


def test_the_about_dialog_shows_the_schema_and_saves_a_support_archive(
    qtbot: QtBot, admin: Context, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import about

    dialog = about.AboutDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    assert admin.db.display_name in dialog.findChild(type(dialog.database), "aboutDatabase").text()

    out = tmp_path / "support.zip"
    monkeypatch.setattr(about, "ask_where_to_save", lambda parent, suggested: out)
    dialog.save_archive_button.click()
    qtbot.waitUntil(out.exists, timeout=10_000)
    qtbot.waitUntil(lambda: str(out) in dialog.archive_status.text(), timeout=5_000)
    with zipfile.ZipFile(out) as archive:
        assert "diagnostics.json" in archive.namelist()
