"""Headquarters' parts master editor: a new part is added to the master (not to any stock), the
list shows it, and a selected part's name and prices are changed with the version it loaded; a
save over another station's newer change is refused with who changed it (SQLite: the one
center's supervisor keeps the master through the same service)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from app.config import DATA_DIR_ENV_VAR
from app.models import Part, PartMaster, Role
from app.parts.master import edit_master_part, master_parts
from ui.application import create_application
from ui.headquarters.master import MasterDialog


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


def test_the_master_editor_adds_and_changes_a_part(qtbot, db, make_user) -> None:
    create_application("zh_CN")
    boss = make_user(Role.SUPERVISOR, username="boss")
    other = make_user(Role.SUPERVISOR, username="boss2")
    dialog = MasterDialog(boss)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.parts.model
    qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == 0
    qtbot.keyClicks(dialog.part_no, "scr-x1")
    dialog.name.setText("屏幕总成")
    dialog.cost.setValue(120)
    dialog.price.setValue(180.5)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 1, timeout=10000)
    with db.read() as session:
        master = session.scalar(select(PartMaster))
        assert (master.part_no, master.unit_cost_cents, master.sale_price_cents) == (
            "SCR-X1",
            12000,
            18050,
        )
        assert session.scalar(select(func.count()).select_from(Part)) == 0  # the master only
    dialog.parts.view.selectRow(0)
    assert dialog.part_no.text() == "SCR-X1" and dialog.part_no.isReadOnly()
    dialog.name.setText("屏幕组件")
    dialog.status.clear()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.status.text()), timeout=10000)  # saved, form cleared
    qtbot.waitUntil(
        lambda: (
            not model.loading and model.rowCount() == 1 and model.row_object(0).name == "屏幕组件"
        ),
        timeout=10000,
    )
    dialog.parts.view.selectRow(0)
    assert dialog.loaded is not None and dialog.loaded.name == "屏幕组件"
    [loaded] = master_parts(boss)
    edit_master_part(  # another station saves first
        other,
        "SCR-X1",
        name="屏幕",
        unit_cost_cents=12000,
        sale_price_cents=18050,
        model_ids=[],
        active=True,
        expected_version=loaded.version,
    )
    dialog.name.setText("过期的修改")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "domainErrorBox") is not None)
    assert "boss2" in dialog.findChild(QMessageBox, "domainErrorBox").text()
    assert [p.name for p in master_parts(boss)] == ["屏幕"]
