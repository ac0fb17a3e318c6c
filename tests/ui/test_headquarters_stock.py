"""Headquarters' page of parts between centers: the short center's row names who could send,
the transfer dialog opens filled in from it, and after the transfer the shortage is gone (on
PostgreSQL; SQLite is one center: the dialog says a transfer needs the server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from test_parts_transfer import _stock, network  # noqa: F401  (fixture)

from app.config import DATA_DIR_ENV_VAR
from app.models import Part
from ui.application import create_application
from ui.changes import ChangeBridge
from ui.headquarters.tab import HeadquartersTab
from ui.headquarters.transfer import TransferDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def test_headquarters_transfers_to_a_short_center_from_its_page(qtbot, db, network) -> None:  # noqa: F811
    create_application("zh_CN")
    boss, b = network["boss"], network["b"]
    with db.transaction() as session:  # B stocks the screen: 1, its safety stock 2
        session.add(
            Part(part_no="SCR-X1", on_hand=1, safety_stock=2, center_id=b)  # the master's part
        )
    tab = HeadquartersTab(boss, ChangeBridge(boss.db))
    qtbot.addWidget(tab)
    tab.show()
    page = tab.stock
    tab.pages.setCurrentWidget(page)
    assert tab.pages.tabText(tab.pages.currentIndex()) == "中心间调拨"
    model = page.stock.model
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 1, timeout=10000)
    assert model.data(model.index(0, 0)) == "B 特约站 B"
    assert model.data(model.index(0, 6)) == "1"  # short by one
    assert model.data(model.index(0, 7)) == "C1 (4)"  # 5 on hand, 1 its safety stock
    page.stock.view.selectRow(0)
    page.transfer_button.click()
    qtbot.waitUntil(lambda: page.findChild(TransferDialog) is not None, timeout=10000)
    dialog = page.findChild(TransferDialog)
    assert dialog.part_no.text() == "SCR-X1"
    assert (dialog.sender.currentData(), dialog.receiver.currentData()) == (1, b)
    assert dialog.quantity.value() == 1
    dialog.quantity.setValue(2)
    if db.is_sqlite:
        dialog.save()
        qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "domainErrorBox") is not None)
        assert "服务器" in dialog.findChild(QMessageBox, "domainErrorBox").text()
        assert dialog.isVisible() and dialog.buttons.isEnabled() and _stock(db) == {1: 5, b: 1}
        return
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save()
    assert dialog.done_transfer is not None
    assert dialog.done_transfer.document_no in page.status.text()
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 0, timeout=10000)
    assert _stock(db) == {1: 3, b: 3}
    page.only_short.setChecked(False)  # every center's stock
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 2, timeout=10000)
