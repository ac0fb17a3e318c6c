"""Correcting a unit's model from the receiving desk's lists: a supervisor picks the model and
says why (audited, through the core's correct_unit_model); a refusal stays in the dialog and
changes nothing; for a receiving clerk the action is greyed out (the core refuses them too)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, audit_count, imei
from list_reads import loaded
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.errors import PermissionDenied
from app.models import AuditEntry, Carrier, Role, Unit
from app.receiving import open_box
from app.receiving.desk import scan_unit
from app.receiving.unit_model import correct_unit_model
from ui.application import build_main_window, create_application
from ui.receiving import printing as receiving_print
from ui.receiving.model_correction import ModelCorrectionDialog
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import MessageLine, Outcome

S9_TAC = "86012345"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))
    monkeypatch.setattr(receiving_print, "send_to_printer", lambda pdf, title: True)


@pytest.fixture
def floor(db, make_user: Callable[..., Context]) -> dict:
    add_model(db, "XC-S9P", tac=S9_TAC)
    add_model(db, "XC-A5")
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    boss = make_user(Role.SUPERVISOR, Role.RECEIVING_CLERK, username="boss")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    box_id = open_box(clerk, "SF1234567890123", sender_id=sender, declared_quantity=2)
    scan_unit(clerk, box_id, imei(1, S9_TAC))  # the TAC says S9; the unit is an A5
    return {"db": db, "clerk": clerk, "boss": boss, "box": box_id}


def receiving_tab(qtbot, ctx: Context, box_id: int) -> ReceivingTab:
    create_application("zh_CN")
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    loaded(qtbot)
    window.show_tab("receivingTab")
    loaded(qtbot)
    tab = window.findChild(ReceivingTab, "receivingTab")
    tab.set_box(box_id)
    loaded(qtbot)
    return tab


def model_of(db, serial: str) -> str:
    with db.read() as session:
        unit = session.scalar(select(Unit).where(Unit.serial == serial))
        return unit.product_model.code


def correct_action(tab: ReceivingTab) -> QAction:
    actions = [a for a in tab.units.view.actions() if a.objectName() == "correctModelAction"]
    assert len(actions) == 1 and tab.units.view.contextMenuPolicy() == (
        Qt.ContextMenuPolicy.ActionsContextMenu
    )
    return actions[0]


def test_a_supervisor_corrects_a_units_model_from_the_box_list(qtbot, floor) -> None:
    db, serial = floor["db"], imei(1, S9_TAC)
    tab = receiving_tab(qtbot, floor["boss"], floor["box"])
    action = correct_action(tab)
    assert action.isEnabled()
    action.trigger()  # nothing selected yet
    assert tab.findChild(MessageLine, "scanMessage").outcome is Outcome.WARNING
    tab.units.view.selectRow(0)
    action.trigger()
    loaded(qtbot)
    qtbot.waitUntil(
        lambda: isinstance(tab.dialog, ModelCorrectionDialog) and tab.dialog.isVisible()
    )
    dialog = tab.dialog
    shown = tab.units.model.row_object(0).model_name
    dialog.model.setCurrentIndex(dialog.model.findData("XC-A5"))
    loaded(qtbot)
    before = audit_count(db)
    dialog.accept()  # no reason: refused in the dialog, nothing changed
    loaded(qtbot)  # refused on the floor worker
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR
    assert model_of(db, serial) == "XC-S9P" and audit_count(db) == before
    dialog.findChild(QLineEdit, "correctionReason").insert("后盖标签为 XC-A5")
    dialog.accept()
    assert not dialog.ok_button.isEnabled()  # saving: it cannot be pressed twice
    loaded(qtbot)
    assert not dialog.isVisible()
    assert model_of(db, serial) == "XC-A5"
    with db.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.detail == "后盖标签为 XC-A5" and entry.after == {"model": "XC-A5"}
    loaded(qtbot)
    assert tab.units.model.row_object(0).model_name != shown  # the list shows the new model
    message = tab.findChild(MessageLine, "scanMessage")
    assert message.outcome is Outcome.OK and serial in message.text()


def test_the_same_model_is_refused_in_the_dialog(qtbot, floor) -> None:
    db, serial = floor["db"], imei(1, S9_TAC)
    tab = receiving_tab(qtbot, floor["boss"], floor["box"])
    tab.units.view.selectRow(0)
    correct_action(tab).trigger()
    loaded(qtbot)
    qtbot.waitUntil(
        lambda: isinstance(tab.dialog, ModelCorrectionDialog) and tab.dialog.isVisible()
    )
    dialog = tab.dialog
    dialog.model.setCurrentIndex(dialog.model.findData("XC-S9P"))
    loaded(qtbot)
    dialog.reason.insert("核对")
    before = audit_count(db)
    dialog.accept()
    loaded(qtbot)  # refused on the floor worker
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR
    assert model_of(db, serial) == "XC-S9P" and audit_count(db) == before


def test_a_clerk_cannot_correct_a_model(qtbot, floor) -> None:
    db, serial = floor["db"], imei(1, S9_TAC)
    tab = receiving_tab(qtbot, floor["clerk"], floor["box"])
    action = correct_action(tab)
    assert not action.isEnabled() and action.toolTip()
    tab.units.view.selectRow(0)
    action.trigger()  # a disabled action does nothing
    assert tab.dialog is None
    before = audit_count(db)
    with pytest.raises(PermissionDenied):  # and the core refuses the clerk in any case
        correct_unit_model(floor["clerk"], serial, "XC-A5", "看着像 A5")
    assert model_of(db, serial) == "XC-S9P" and audit_count(db) == before
