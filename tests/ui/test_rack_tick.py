"""The painted QC rack: a tick names only the cells whose text changed and repaints only their
countdowns (a whole cell when its state changed); each state in its colour and in words; a slot
chosen by a click or the arrows, opened by Enter or a double click."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QImage, QRegion
from PySide6.QtWidgets import QApplication, QToolTip

from app.qc.views import SlotView
from ui.i18n import install_translators
from ui.qc.rack import RackView
from ui.qc.rack_model import RackModel, SlotState
from ui.qc.rack_paint import FILL

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def slot(number: int, rack: str, ready_in: timedelta | None) -> SlotView:
    code = f"{rack}-{number:02d}"
    if ready_in is None:
        return SlotView(number, code, rack, None, None, None, None, None)
    return SlotView(
        number,
        code,
        rack,
        number,
        f"RO{number:04d}",
        "XC-S9",
        NOW - timedelta(hours=1),
        NOW + ready_in,
    )


@pytest.fixture(autouse=True)
def english(qapp) -> None:
    install_translators("en")  # (an earlier test on this worker may have left zh_CN)


SLOTS = [
    slot(1, "A", timedelta(hours=2)),  # aging: its seconds change every tick
    slot(2, "A", None),  # free: never changes
    slot(3, "A", -10 * MINUTE),  # finished 10 minutes ago: changes once a minute
    slot(4, "A", timedelta(hours=3)),
    slot(5, "B", None),
    slot(6, "B", timedelta(seconds=1)),  # finishes on the next tick
]


class PaintRecorder(QObject):
    """The region of every paint event the viewport receives."""

    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()
        self.events = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.region = self.region.united(event.region())
            self.events += 1
        return False


def shown(qtbot, clock, slots: list[SlotView] = SLOTS) -> tuple[RackModel, RackView]:
    clock.set(NOW)
    model = RackModel(None, clock, load=False)  # type: ignore[arg-type]  # never reads here
    model.set_slots(slots)
    view = RackView(model)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return model, view


def on_screen(view: RackView) -> QImage:
    """What the window shows now (the backing store, with only the repainted parts new)."""
    window = view.window().windowHandle()
    return window.screen().grabWindow(window.winId()).toImage()


def test_a_tick_names_only_the_cells_whose_text_changed(qtbot, clock) -> None:
    clock.set(NOW)
    model = RackModel(None, clock, load=False)  # type: ignore[arg-type]
    model.set_slots(SLOTS)
    ticks: list[list[tuple[int, int]]] = []
    model.cells_changed.connect(ticks.append)
    finished: list[bool] = []
    model.finished_changed.connect(lambda: finished.append(True))

    clock.advance(seconds=1)
    assert model.tick() == 3
    assert ticks == [[(0, 0), (0, 3), (1, 1)]]  # one signal per tick, naming each cell
    assert finished == [True]
    assert model.state(1, 1) is SlotState.FINISHED and model.countdown(1, 1) == "Done"
    assert model.countdown(0, 0) == "1:59:59" and model.state(0, 1) is SlotState.EMPTY
    assert model.counts() == (2, 2, 2)

    ticks.clear()
    clock.advance(seconds=1)
    assert model.tick() == 2  # the two still aging; the finished ones wait for their minute
    assert ticks == [[(0, 0), (0, 3)]] and finished == [True]


def test_a_tick_repaints_only_the_changed_countdowns(qtbot, clock) -> None:
    model, view = shown(qtbot, clock)
    recorder = PaintRecorder()
    view.viewport().installEventFilter(recorder)
    clock.advance(seconds=1)
    model.tick()
    QApplication.processEvents()
    expected = QRegion()
    for cell in ((0, 0), (0, 3)):  # 2:00:00 → 1:59:59: the countdown's rectangle alone
        expected = expected.united(view.countdown_rect(cell))
    expected = expected.united(view.cell_rect((1, 1)))  # finished: new colours, the whole cell
    assert recorder.events == 1 and recorder.region == expected
    assert all(
        not recorder.region.intersects(view.cell_rect(cell)) for cell in ((0, 1), (0, 2), (1, 0))
    )
    # What the partial repaint left on screen is what painting everything anew gives.
    assert on_screen(view) == view.grab().toImage()

    recorder.region, recorder.events = QRegion(), 0
    clock.advance(seconds=1)
    model.tick()
    QApplication.processEvents()
    # 1:59:59 → 1:59:58: the seconds alone
    assert recorder.region == QRegion(view.tail_rect((0, 0))).united(view.tail_rect((0, 3)))
    assert view.tail_rect((0, 0)).left() > view.countdown_rect((0, 0)).left() + 10  # past "1:59:"
    assert on_screen(view) == view.grab().toImage()


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform shows the tip
def test_each_state_in_its_colour_and_in_words(qtbot, clock) -> None:
    model, view = shown(qtbot, clock)
    image = view.viewport().grab().toImage()
    for cell, state in (((0, 0), SlotState.AGING), ((0, 1), SlotState.EMPTY)):
        corner = view.cell_rect(cell).bottomRight() - QPoint(3, 3)  # clear of the texts
        assert image.pixelColor(corner) == FILL[state]
    corner = view.cell_rect((0, 2)).bottomRight() - QPoint(3, 3)
    assert image.pixelColor(corner) == FILL[SlotState.FINISHED]

    assert view.accessibleName() == "Aging racks"
    for cell, words in (
        ((0, 0), "Slot A-01: RO0001 XC-S9, aging, 2:00:00 left"),
        ((0, 1), "Slot A-02: free"),
        ((0, 2), "Slot A-03: RO0003 XC-S9, finished, sign it off (Done +0:10)"),
    ):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.cell_rect(cell).center()
        )
        assert view.current_cell() == cell and view.accessibleDescription() == words

    viewport = view.viewport()
    point = view.cell_rect((0, 0)).center()
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point))
    )
    assert QToolTip.text().startswith("RO0001 · XC-S9\n")


def test_a_slot_is_chosen_by_click_or_arrows_and_opened_by_enter_or_double_click(
    qtbot, clock
) -> None:
    model, view = shown(qtbot, clock)
    opened: list[str] = []
    view.slot_activated.connect(lambda slot: opened.append(slot.slot_code))
    viewport = view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=view.cell_rect((0, 3)).center())
    assert view.current_cell() == (0, 3) and view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the rack's last slot: stays
    assert view.current_cell() == (0, 3)
    qtbot.keyClick(view, Qt.Key.Key_Down)  # rack B has two slots: its last
    assert view.current_cell() == (1, 1)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_cell() == (1, 0)
    qtbot.keyClick(view, Qt.Key.Key_Enter)  # a free slot opens nothing
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_cell() == (0, 3)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=view.cell_rect((0, 0)).center())
    assert opened == ["B-06", "A-01"] and view.current_cell() == (0, 0)
    # Off the slots (past rack B's end, or the headers): nothing chosen, nothing opened.
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=view.cell_rect((1, 3)).center())
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert view.current_cell() == (0, 0) and opened == ["B-06", "A-01"]

    model.set_slots([slot(9, "A", None), *SLOTS])  # read again: the chosen slot moved right
    assert view.current_cell() == (0, 1)
