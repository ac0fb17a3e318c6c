"""Feedback from a metre away: the result banner's colours and sounds, and no refusal in green.

Every kind of refusal (each ``DomainError`` class) raised by a scan on each floor tab, before its
work or during it, must turn the banner red with the refusal sound.
"""

from __future__ import annotations

import filecmp
import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QSoundEffect
from PySide6.QtWidgets import QLabel

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.errors import DomainError
from app.receiving.condition import ConditionCheckPending
from app.receiving.intake import ModelDisagreement
from resources import SOUNDS_DIR
from ui import settings
from ui.application import build_main_window, create_application
from ui.i18n import domain_message
from ui.widgets.feedback import BANNER_COLOURS, Outcome, ResultBanner
from ui.widgets.floor_tab import FloorTab
from ui.widgets.scan_queue import FloorJob
from ui.widgets.sounds import sounds

FLOOR_TABS = ["receivingTab", "allocationTab", "partsTab", "qcTab", "shippingTab", "complaintsTab"]
EXPECTED_FILE = {Outcome.OK: "ok.wav", Outcome.WARNING: "warning.wav", Outcome.ERROR: "refused.wav"}


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def played(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The file name of every QSoundEffect played (nothing reaches a sound card)."""
    files: list[str] = []
    monkeypatch.setattr(QSoundEffect, "play", lambda self: files.append(self.source().fileName()))
    yield files


def every_domain_error() -> list[DomainError]:
    """One of each refusal the core defines (every ``DomainError`` class in app/)."""
    kinds: list[type[DomainError]] = [DomainError]
    for kind in kinds:
        kinds.extend(sub for sub in kind.__subclasses__() if sub not in kinds)
    errors: list[DomainError] = []
    for kind in kinds:
        if not kind.__module__.startswith("app."):
            continue  # a test's own subclass
        if kind is ModelDisagreement:  # the receiving desk asks about the model, in red too
            errors.append(ModelDisagreement("SN1", known="K1", chosen="C1", source="TAC"))
        elif kind is ConditionCheckPending:  # allocation offers the check (refused: no order)
            errors.append(kind("refused by {who}", who=kind.__name__, order_id=-1))
        else:
            errors.append(kind("refused by {who}", who=kind.__name__))
    return errors


def test_each_result_kind_plays_its_own_sound_at_the_station_volume(qtbot, played) -> None:
    create_application("zh_CN")
    banner = ResultBanner()
    qtbot.addWidget(banner)
    settings.SOUND_VOLUME.set(30)
    for outcome in Outcome:
        banner.show_message(outcome, "RO202611240001")
        assert played[-1] == EXPECTED_FILE[outcome]
        effect = sounds().findChild(QSoundEffect, f"sound_{outcome.value}")
        assert effect.volume() == pytest.approx(0.3)
    assert played == ["ok.wav", "warning.wav", "refused.wav"]
    settings.SOUND_VOLUME.set(0)  # off
    banner.show_message(Outcome.ERROR, "refused")
    assert len(played) == 3 and sounds().last is None


def test_the_three_sounds_differ_and_are_what_the_script_makes(tmp_path: Path) -> None:
    script = SOUNDS_DIR / "make_sounds.py"
    spec = importlib.util.spec_from_file_location("make_sounds", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.make_all(tmp_path)
    assert [path.name for path in made] == ["ok.wav", "warning.wav", "refused.wav"]
    for path in made:
        assert filecmp.cmp(path, SOUNDS_DIR / path.name, shallow=False), path.name
    contents = {(SOUNDS_DIR / name).read_bytes() for name in EXPECTED_FILE.values()}
    assert len(contents) == 3


def test_the_banner_is_a_large_coloured_block_with_the_order_number_larger(qtbot) -> None:
    create_application("zh_CN")
    banner = ResultBanner()
    qtbot.addWidget(banner)
    assert not banner.isVisibleTo(None)  # no empty band before the first result
    banner.show_message(Outcome.OK, "RO202611240001 · 小米 13 — 已收货")
    assert banner.isVisibleTo(None) and banner.text() == "RO202611240001 · 小米 13 — 已收货"
    assert banner.accessibleName() and banner.accessibleDescription() == banner.text()
    shown = QLabel.text(banner)  # the rich text on screen
    assert 'font-size: 30pt;">RO202611240001</span>' in shown
    assert BANNER_COLOURS[Outcome.OK][0] in banner.styleSheet()
    assert "font-size: 20pt" in banner.styleSheet()


def test_a_result_of_the_same_kind_keeps_the_banners_style_sheet(qtbot, monkeypatch) -> None:
    """Setting a style sheet re-polishes the banner and lays its window out again: only when the
    colour changes, not at every scan."""
    create_application("zh_CN")
    banner = ResultBanner()
    qtbot.addWidget(banner)
    sheets: list[str] = []
    set_sheet = banner.setStyleSheet
    monkeypatch.setattr(
        banner, "setStyleSheet", lambda sheet: (sheets.append(sheet), set_sheet(sheet))
    )
    banner.show_message(Outcome.OK, "RO202611240001 · 已收货")
    banner.show_message(Outcome.OK, "RO202611240002 · 已收货")
    banner.show_message(Outcome.OK, "RO202611240003 · 已收货")
    assert len(sheets) == 1 and banner.text() == "RO202611240003 · 已收货"
    banner.show_message(Outcome.ERROR, "RO202611240004 · 已发货")
    banner.show_message(Outcome.OK, "RO202611240005 · 已收货")
    assert len(sheets) == 3
    assert BANNER_COLOURS[Outcome.OK][0] in banner.styleSheet()


def test_every_refusal_a_scan_can_raise_is_red_on_every_floor_tab(
    qtbot, admin: Context, played, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    window.show()
    errors = every_domain_error()
    assert len(errors) >= 14
    for name in FLOOR_TABS:
        assert window.show_tab(name)
        tab = window.page(name)  # shown first: a tab is built when first shown
        assert isinstance(tab, FloorTab) and tab.scan_bar is not None, name
        banner = tab.scan_bar.message
        real_job = tab.scan_job
        for error in errors:
            for during_work in (False, True):

                def raising_job(
                    code: str, error=error, during_work=during_work, real_job=real_job
                ) -> FloorJob:
                    if not during_work:
                        raise error
                    job = real_job(code)
                    assert job is not None

                    def work() -> None:
                        raise error

                    return FloorJob(work, job.done, job.failed)

                monkeypatch.setattr(tab, "scan_job", raising_job)
                banner.show_message(Outcome.OK, "before")
                tab.handle_scan("RO209901019999")
                qtbot.waitUntil(lambda tab=tab: tab.scans.idle, timeout=20_000)
                case = (name, type(error).__name__, during_work)
                assert banner.outcome is Outcome.ERROR, case
                assert BANNER_COLOURS[Outcome.ERROR][0] in banner.styleSheet(), case
                if not isinstance(error, ConditionCheckPending):  # its offer may say more
                    assert banner.text() == domain_message(error), case
                assert played[-1] == "refused.wav", case
        monkeypatch.setattr(tab, "scan_job", real_job)


def test_the_station_chooses_the_volume_from_the_view_menu(qtbot, admin: Context) -> None:
    from PySide6.QtGui import QAction

    create_application("zh_CN")
    window = build_main_window(admin)
    qtbot.addWidget(window)
    assert window.findChild(QAction, "soundVolume60").isChecked()  # the default
    window.findChild(QAction, "soundVolume0").trigger()
    assert settings.SOUND_VOLUME.get() == 0
    window.findChild(QAction, "soundVolume100").trigger()
    assert settings.SOUND_VOLUME.get() == 100


def test_the_sounds_are_made_ahead_in_idle_turns_when_sound_is_on(qtbot) -> None:
    """The first effect made starts the audio backend: made ahead (ui/preload.py calls
    ``warm_up`` once QtMultimedia is imported), not by the first scan's result."""
    from ui.widgets.sounds import SOUND_FILES, Sounds

    create_application("zh_CN")
    settings.SOUND_VOLUME.set(0)  # off: nothing to make
    quiet = Sounds()
    quiet.warm_up()
    qtbot.wait(150)
    assert quiet.made == frozenset()
    settings.SOUND_VOLUME.set(30)
    ahead = Sounds()
    made_at_each_turn: list[frozenset[str]] = []
    ahead.warm_up()
    assert ahead.made == frozenset()  # not in the caller's turn
    qtbot.waitUntil(lambda: made_at_each_turn.append(ahead.made) or len(ahead.made) == 3)
    assert ahead.made == frozenset(SOUND_FILES)
    assert frozenset({"ok"}) in made_at_each_turn  # one at a time
    first = ahead.findChild(QSoundEffect, "sound_ok")
    ahead.play(Outcome.OK)  # played with the effect made ahead
    assert ahead.findChild(QSoundEffect, "sound_ok") is first and ahead.last is not None
