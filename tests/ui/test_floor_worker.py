"""The station's floor worker: scans are saved off the UI thread, one at a time, in the order they
were scanned; a scan arriving while one saves waits behind it and is never lost; the scan field
stays free meanwhile; results and refusals come back to the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import add_customer, add_model, imei
from list_reads import whole_page
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from sqlalchemy import select

from app.config import DATA_DIR_ENV_VAR
from app.context import Context
from app.errors import DomainError, NotFound
from app.models import Carrier, RepairOrder, Role, Unit
from app.receiving import desk as receiving_desk
from app.receiving.boxes import open_box
from ui.application import build_main_window, create_application
from ui.receiving import printing as receiving_print
from ui.receiving.tab import ReceivingTab
from ui.widgets.feedback import Outcome
from ui.widgets.scan_queue import FloorJob, ScanQueue

WAYBILL = "EA123456785CN"


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "data"))


@pytest.fixture
def desk(qtbot, db, make_user: Callable[..., Context], monkeypatch) -> ReceivingTab:
    # Labels go to a printer that answers (no printer here would turn each scan's line amber).
    monkeypatch.setattr(receiving_print, "send_to_printer", lambda pdf, title: True)
    add_model(db)
    with db.transaction() as session:
        session.add(
            Carrier(
                code="EMS",
                name="EMS",
                waybill_pattern=r"[A-Z]{2}\d{9}CN",
                uses_s10_check_digit=True,
            )
        )
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    box_id = open_box(clerk, WAYBILL, sender_id=sender, declared_quantity=3)
    create_application("zh_CN")
    window = build_main_window(clerk)
    qtbot.addWidget(window)
    window.show()
    window.show_tab("receivingTab")
    tab = whole_page(window, "receivingTab")
    tab.set_box(box_id)
    return tab


def type_scan(qtbot, tab: ReceivingTab, code: str) -> None:
    field = tab.findChild(QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_a_scan_queued_behind_a_slow_save_is_handled_in_order(qtbot, db, desk, monkeypatch):
    real_scan_unit = receiving_desk.scan_unit
    release = threading.Event()
    saving = threading.Event()
    saved: list[str] = []
    threads: set[QThread] = set()

    def slow_first_save(ctx, box_id, code, details, **options):
        threads.add(QThread.currentThread())
        if not saved:  # the first save is slow (a busy server, a locked file)
            saving.set()
            assert release.wait(10)
        result = real_scan_unit(ctx, box_id, code, details, **options)
        saved.append(code)
        return result

    monkeypatch.setattr(receiving_desk, "scan_unit", slow_first_save)
    try:
        type_scan(qtbot, desk, imei(1))
        qtbot.waitUntil(saving.is_set)
        # While the first unit saves: the window answers, the field takes the next two scans.
        type_scan(qtbot, desk, imei(2))
        type_scan(qtbot, desk, imei(3))
        field = desk.findChild(QLineEdit, "scanInput")
        assert field.text() == "" and field.isEnabled()
        assert saved == [] and desk.scans.waiting == 2 and not desk.scans.idle
    finally:
        release.set()  # never leave the station's worker blocked for the next test
    qtbot.waitUntil(lambda: desk.scans.idle, timeout=10000)
    assert saved == [imei(1), imei(2), imei(3)]
    assert threads and QApplication.instance().thread() not in threads  # off the UI thread
    with db.read() as session:
        serials = session.scalars(
            select(Unit.serial)
            .join(RepairOrder, RepairOrder.unit_id == Unit.id)
            .order_by(RepairOrder.order_no)
        ).all()
    assert serials == [imei(1), imei(2), imei(3)]  # order numbers in scan order
    assert desk.scan_bar.message.outcome is Outcome.OK and imei(3) in desk.scan_bar.message.text()


class StubDesk:
    """A desk whose scans are plain functions: what the queue runs, where and in which order."""

    def __init__(self, widget: QWidget) -> None:
        self.events: list[str] = []
        self.refused: list[str] = []
        self.widget = widget

    def scan_job(self, code: str) -> FloorJob | None:
        if code == "":
            raise NotFound("Nothing was scanned.")
        self.events.append(f"job {code}")

        def work() -> str:
            if code == "BAD":
                raise NotFound("No such code.")
            on_ui = QThread.currentThread() is QApplication.instance().thread()
            return f"{code} on {'ui' if on_ui else 'worker'}"

        return FloorJob(work, lambda result: self.events.append(f"done {result}"))

    def guarded(self, action: Callable[[], None]) -> None:
        try:
            action()
        except DomainError as error:
            self.show_refusal(error)

    def show_refusal(self, error: DomainError) -> None:
        self.refused.append(error.template)


def test_refusals_come_back_and_the_next_scans_still_run_in_order(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    desk = StubDesk(widget)
    queue = ScanQueue(desk, widget)
    for code in ("A", "BAD", "", "B"):
        queue.push(code)
    qtbot.waitUntil(lambda: queue.idle)
    assert desk.events == ["job A", "done A on worker", "job BAD", "job B", "done B on worker"]
    assert desk.refused == ["No such code.", "Nothing was scanned."]


def test_a_small_read_overtaken_by_a_newer_one_is_not_shown(qtbot) -> None:
    from ui.ops import LatestRead

    owner = QWidget()
    qtbot.addWidget(owner)
    shown: list[str] = []
    first_may_finish = threading.Event()
    reads = LatestRead(owner, shown.append)

    def slow() -> str:  # the first read, finishing after the second
        first_may_finish.wait(10)
        return "old"

    reads.run(slow)
    reads.run(lambda: "new")
    qtbot.waitUntil(lambda: shown == ["new"])
    first_may_finish.set()
    qtbot.wait(100)
    assert shown == ["new"]  # the older read's rows never replace the newer ones
    may_finish = threading.Event()
    finished = threading.Event()

    def dropped() -> str:
        may_finish.wait(10)
        finished.set()
        return "dropped"

    reads.run(dropped)
    reads.drop_pending()  # read at once on the UI thread meanwhile: what is in flight is older
    may_finish.set()
    assert finished.wait(10)
    qtbot.wait(100)
    assert shown == ["new"]


def test_a_scan_waits_behind_a_dialogs_slow_save_and_sees_what_it_saved(
    qtbot, db, desk, monkeypatch
):
    """Closing the box saves on the floor worker: OK cannot be pressed twice, the window
    answers, and a unit scanned meanwhile is handled after the box is closed (refused: no box)."""
    from ui.receiving import dialogs

    real_close_box = dialogs.close_box
    release, closing = threading.Event(), threading.Event()
    threads: set[QThread] = set()

    def slow_close_box(ctx, box_id, **options):
        threads.add(QThread.currentThread())
        closing.set()
        assert release.wait(10)
        return real_close_box(ctx, box_id, **options)

    monkeypatch.setattr(dialogs, "close_box", slow_close_box)
    type_scan(qtbot, desk, imei(1))  # an empty box is not closed
    qtbot.waitUntil(lambda: desk.scans.idle, timeout=10000)
    desk.ask_close_box()
    qtbot.waitUntil(lambda: isinstance(desk.dialog, dialogs.CloseBoxDialog))
    dialog = desk.dialog
    dialog.note.setText("少两台")  # one scanned, 3 declared
    try:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(closing.is_set)
        assert not dialog.ok_button.isEnabled() and dialog.isVisible()
        dialog.accept()  # Enter pressed again meanwhile: ignored, nothing saved twice
        type_scan(qtbot, desk, imei(2))
        assert desk.scans.waiting == 1 and desk.box is not None
    finally:
        release.set()  # never leave the station's worker blocked for the next test
    qtbot.waitUntil(lambda: desk.scans.idle, timeout=10000)
    assert desk.box is None and not dialog.isVisible()
    assert threads and QApplication.instance().thread() not in threads  # off the UI thread
    assert desk.scan_bar.message.outcome is Outcome.ERROR  # the unit came after the close
    with db.read() as session:
        assert session.scalars(select(Unit.serial)).all() == [imei(1)]
