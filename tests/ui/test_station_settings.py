"""This PC's settings (QSettings): declared once, typed, with a default for what does not read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from app.config import ENV_DATA_DIR
from ui import settings, station_settings
from ui.receiving import printing


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_DATA_DIR.name, str(tmp_path))
    return tmp_path


def test_every_station_setting_is_declared_once_in_one_place() -> None:
    assert printing.LABEL_PRINTER is settings.LABEL_PRINTER
    assert station_settings.STATION_NAME is settings.STATION_NAME
    declared = {v.key for v in vars(settings).values() if isinstance(v, settings.Option)}
    assert declared == set(settings.REGISTRY)  # every station setting is declared in ui/settings.py
    with pytest.raises(ValueError, match="declared twice"):
        settings.Option("ui/language", "en")


def test_values_come_back_typed_and_what_does_not_read_gives_the_default() -> None:
    assert settings.PRINT_LABELS.get() is True
    settings.PRINT_LABELS.set(False)
    assert settings.PRINT_LABELS.get() is False
    settings.LANGUAGE.set("en")
    assert settings.LANGUAGE.get() == "en"
    settings.qsettings().setValue(settings.LANGUAGE.key, "klingon")
    assert settings.LANGUAGE.get() == "zh_CN"
    settings.qsettings().setValue(settings.MAIN_WINDOW_GEOMETRY.key, "not bytes")
    assert settings.MAIN_WINDOW_GEOMETRY.get() == QByteArray()


def test_the_support_snapshot_holds_every_declared_setting_but_the_window_geometry() -> None:
    settings.LABEL_PRINTER.set("Zebra GK888t")
    settings.MAIN_WINDOW_GEOMETRY.set(QByteArray(b"\x01\x02"))
    snapshot = settings.snapshot()
    assert snapshot["receiving/label_printer"] == "Zebra GK888t"
    assert snapshot["ui/language"] == "zh_CN"
    assert "main_window/geometry" not in snapshot
