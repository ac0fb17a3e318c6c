"""The scan field ends a scan on Enter, Tab, CR, LF and CR+LF and keeps the focus; its input method
is off; what a full-width input method commits reaches the core and is normalised there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, force_state, full_width, receive, stock_row
from PySide6.QtCore import QCoreApplication, Qt
from scanner_keys import commit, send_text
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.models import Part, RepairState, Role
from app.parts import issuing as parts
from ui.application import build_main_window, create_application
from ui.parts.tab import PartsTab
from ui.settings import SCANNER_PREFIX, SCANNER_SUFFIX
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.scan_field import ScanField


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def counter(db, make_user: Callable[..., Context]) -> dict:
    add_model(db)
    boss = make_user(Role.SUPERVISOR, username="boss")
    keeper = make_user(Role.PARTS_KEEPER, username="parts")
    wang = make_user(Role.TECHNICIAN, username="wang", display_name="王工", badge_code="T001")
    order = receive(boss, add_customer(db, boss), 1)
    force_state(
        db, order.order_id, RepairState.IN_REPAIR, technician_id=wang.user_id, in_warranty=True
    )
    with db.transaction() as session:
        session.add(stock_row(part_no="SCR-X1", name="屏幕总成"))
    with db.read() as session:
        part_id = session.scalar(select(Part.id).where(Part.part_no == "SCR-X1"))
    parts.receive_stock(keeper, part_id, 5, document_no="PO-1")
    return {"keeper": keeper, "order": order, "part_id": part_id}


def parts_tab(qtbot, ctx: Context) -> tuple[PartsTab, ScanField]:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("partsTab")
    tab = window.findChild(PartsTab, "partsTab")
    field = tab.findChild(ScanField, "scanInput")
    field.setFocus()
    return tab, field


def on_hand(db, part_id: int) -> int:
    with db.read() as session:
        return session.scalar(select(Part.on_hand).where(Part.id == part_id))


def test_the_scan_field_has_no_input_method(qtbot, counter) -> None:
    _, field = parts_tab(qtbot, counter["keeper"])
    assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    assert field.inputMethodHints() & Qt.InputMethodHint.ImhLatinOnly


def test_a_tab_suffix_ends_the_scan_keeps_the_focus_and_the_next_scan_lands(
    qtbot, db, counter
) -> None:
    tab, field = parts_tab(qtbot, counter["keeper"])
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, counter["order"].order_no)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    assert tab.order_id == counter["order"].order_id
    assert field.text() == "" and field.hasFocus()
    QCoreApplication.processEvents()
    assert field.hasFocus()
    qtbot.keyClicks(field, "scr-x1")  # the second scan, lowercase: not lost, the same part
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK, message.text()
    assert on_hand(db, counter["part_id"]) == 4
    assert field.hasFocus()


@pytest.mark.parametrize("suffix", ["\r", "\n", "\r\n", "\t"])
def test_a_cr_lf_or_tab_suffix_is_one_scan(qtbot, counter, suffix) -> None:
    _, field = parts_tab(qtbot, counter["keeper"])
    seen: list[str] = []
    field.scanned.connect(seen.append)
    for code in ("RO-A", "RO-B"):
        qtbot.keyClicks(field, code)
        for char in suffix:
            send_text(field, char)
    assert seen == ["RO-A", "RO-B"] and field.text() == ""


def test_an_empty_enter_is_still_a_scan_the_core_refuses(qtbot, counter) -> None:
    tab, field = parts_tab(qtbot, counter["keeper"])
    seen: list[str] = []
    field.scanned.connect(seen.append)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert seen == [""]


def test_a_full_width_order_label_committed_by_an_input_method_is_the_order(
    qtbot, db, counter
) -> None:
    tab, field = parts_tab(qtbot, counter["keeper"])
    commit(field, full_width(counter["order"].order_no))
    assert field.text() == full_width(counter["order"].order_no)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    assert tab.order_id == counter["order"].order_id
    commit(field, "ｓｃｒ－ｘ１\r\n")  # a commit that carries the scanner's suffix ends the scan
    assert field.text() == ""
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)
    assert on_hand(db, counter["part_id"]) == 4


def test_the_stations_scanner_prefix_and_suffix_are_stripped(qtbot, counter) -> None:
    SCANNER_PREFIX.set("]C1")
    SCANNER_SUFFIX.set("#")
    tab, field = parts_tab(qtbot, counter["keeper"])
    qtbot.keyClicks(field, f"]C1{counter['order'].order_no}#")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.scans.idle, timeout=20_000)  # the scan runs on the floor worker
    assert tab.order_id == counter["order"].order_id
