"""The translation is up to date: every string of the core and of the UI has its Chinese."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.errors import NotFound
from app.models import RepairState
from resources import TRANSLATIONS_DIR
from ui.i18n import domain_message, install_translators, state_label, tr_app

TS_FILE = TRANSLATIONS_DIR / "repairfloor_zh_CN.ts"
QM_FILE = TRANSLATIONS_DIR / "repairfloor_zh_CN.qm"


def _updater():
    spec = importlib.util.spec_from_file_location(
        "update_translations", TRANSLATIONS_DIR / "update_translations.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def translations(ts_file: Path) -> dict[tuple[str, str], str]:
    found = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in ("obsolete", "vanished"):
                continue
            text = (
                ""
                if translation is None or translation.get("type") == "unfinished"
                else translation.text
            )
            found[(name, message.findtext("source"))] = text or ""
    return found


def test_every_core_string_has_a_chinese_translation() -> None:
    shipped = translations(TS_FILE)
    missing = [text for text in _updater().core_strings() if not shipped.get(("app", text))]
    assert not missing, "run resources/translations/update_translations.py and translate: " + repr(
        missing
    )


def test_every_ui_string_has_a_chinese_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh_zh_CN.ts"
    updater = _updater()
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = [str(path) for path in updater.ui_sources()]
    subprocess.run(
        [str(lupdate), *sources, "-locations", "none", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    shipped = translations(TS_FILE)
    missing = [key for key in translations(fresh) if not shipped.get(key)]
    assert not missing, "run resources/translations/update_translations.py and translate: " + repr(
        missing
    )


def test_the_compiled_qm_matches_the_ts(tmp_path: Path) -> None:
    compiled = tmp_path / "check.qm"
    _updater().run_lrelease(TS_FILE, compiled)
    assert compiled.read_bytes() == QM_FILE.read_bytes(), "run update_translations.py"


@pytest.fixture
def chinese(qapp):
    install_translators("zh_CN")
    yield
    install_translators("zh_CN")


def test_core_strings_come_out_in_chinese(chinese) -> None:
    assert tr_app("Received") == "已收货"
    assert state_label(RepairState.WAITING_PARTS) == "待料"
    error = NotFound('No repair order "{order_no}". Scan the label again.', order_no="RO1")
    assert domain_message(error) == "没有维修单“RO1”,请重新扫描标签。"


def test_english_is_the_source_text(qapp) -> None:
    try:
        assert install_translators("en") == "en"
        assert tr_app("Received") == "Received"
    finally:
        install_translators("zh_CN")
