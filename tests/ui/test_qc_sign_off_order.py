"""The QC sign-off is opened by a scan and saved on the same floor worker as the scans: its save
never waits on the scan that opened it (no deadlock), and a scan arriving while it saves is
handled after it, in order."""

from __future__ import annotations

import threading

import test_qc_tab as qc_tests
from conftest import PASSWORD
from factories import snapshot
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from app.models import RepairState
from ui.qc.tab import QcTab
from ui.widgets.feedback import Outcome

# The QC tab's tests' fixtures and helpers
floor, own_settings = qc_tests.floor, qc_tests.own_settings
qc_tab, scan, saved = qc_tests.qc_tab, qc_tests.scan, qc_tests.saved


def type_scan(qtbot, tab: QcTab, code: str) -> None:
    """A scan typed into the tab's scan field, not waited for."""
    assert tab.scan_bar is not None
    qtbot.keyClicks(tab.scan_bar.field, code)
    qtbot.keyClick(tab.scan_bar.field, Qt.Key.Key_Return)


def test_a_scan_opens_the_sign_off_its_save_and_the_next_scan_follow_in_order(
    qtbot, floor, clock, monkeypatch
) -> None:
    (first_id, first), (second_id, second) = floor["repaired"](1), floor["repaired"](2)
    tab = qc_tab(qtbot, floor["qc"])
    scan(qtbot, tab, first)  # onto the rack
    clock.advance(hours=4, minutes=1)  # aged
    said: list[tuple[Outcome, str]] = []
    report = tab.report
    monkeypatch.setattr(
        tab, "report", lambda outcome, text: (said.append((outcome, text)), report(outcome, text))
    )
    # The dialog is opened from the scan's result: that must return with the dialog open (no
    # nested event loop holding the scan's turn). Were it exec()'d, a watchdog closes it after
    # 3 s so that the test fails instead of hanging.
    shown: list[tuple[bool, bool]] = []  # (dialog open when the scan's result returned, idle)
    show_sign_off = tab.show_sign_off

    def show(form, reasons):
        returned: list[bool] = []
        QTimer.singleShot(3000, lambda: returned or dialog_now_closed())
        dialog = show_sign_off(form, reasons)
        returned.append(True)
        shown.append((dialog.isVisible(), tab.scans.idle))
        return dialog

    def dialog_now_closed() -> None:
        if tab.sign_off_dialog is not None:
            tab.sign_off_dialog.done(0)

    monkeypatch.setattr(tab, "show_sign_off", show)

    type_scan(qtbot, tab, first)  # on the rack: its sign-off opens
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert shown == [(True, False)]  # opened while the scan's turn still ran, and returned
    qtbot.waitUntil(lambda: tab.scans.idle)  # the scan's turn is over, the dialog still open
    dialog = tab.sign_off_dialog
    assert dialog is not None and dialog.isVisible() and dialog.form.order_id == first_id

    dialog.findChild(QPushButton, "allItemsPassButton").click()
    dialog.result_pass.click()
    qtbot.keyClicks(dialog.password, PASSWORD)
    sign_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    gate = threading.Event()
    try:
        tab.run_floor(lambda: gate.wait(20), lambda _result: None)  # a slow save ahead
        qtbot.mouseClick(sign_button, Qt.MouseButton.LeftButton)
        assert not sign_button.isEnabled() and dialog.isVisible()
        assert tab.scans.waiting == 1  # the sign-off, behind the slow save: not the scan's
        dialog.sign()  # Enter again meanwhile: nothing saved twice
        dialog.reject()  # Esc meanwhile: too late, the dialog waits for its save
        assert tab.scans.waiting == 1 and dialog.isVisible()
        type_scan(qtbot, tab, second)  # the next unit, scanned while the sign-off saves
        assert tab.scans.waiting == 2
        assert snapshot(tab.ctx.db, first_id)["state"] == RepairState.IN_QC
    finally:
        gate.set()  # never leave the station's worker blocked for the next test
    saved(qtbot, tab)
    assert not dialog.isVisible() and dialog.signed is not None
    assert snapshot(tab.ctx.db, first_id)["state"] == RepairState.QC_PASSED
    assert snapshot(tab.ctx.db, second_id)["state"] == RepairState.IN_QC  # placed after it
    texts = [text for _outcome, text in said]
    passed = next(i for i, text in enumerate(texts) if first in text and "QC" in text)
    placed = next(i for i, text in enumerate(texts) if second in text)
    assert passed < placed, texts  # the sign-off's result first, then the scan behind it
    assert said[placed][0] is Outcome.OK

    # A refusal (early, no supervisor) keeps the dialog open with what was answered
    type_scan(qtbot, tab, second)
    qtbot.waitUntil(lambda: tab.sign_off_dialog is not None and tab.scans.idle, timeout=20_000)
    assert shown[-1] == (True, False) and dialog.form.order_id == second_id
    dialog.functions.button(1, False).click()  # WiFi fails
    dialog.appearance.button(0, True).click()
    dialog.functions.button(0, True).click()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.mouseClick(sign_button, Qt.MouseButton.LeftButton)
    saved(qtbot, tab)
    assert dialog.isVisible() and dialog.message.outcome is Outcome.ERROR
    assert sign_button.isEnabled() and dialog.password.text() == ""
    assert dialog.result_fail.isChecked() and dialog.reason_text.text() == "WiFi"
    assert snapshot(tab.ctx.db, second_id)["state"] == RepairState.IN_QC
