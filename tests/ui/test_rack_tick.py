"""A rack tick marks changed only the cells whose text changed; the view repaints only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from app.qc.views import SlotView
from ui.qc.rack import RackView
from ui.qc.rack_model import RackModel, RackRole, SlotState

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


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


def test_a_tick_marks_only_the_cells_whose_text_changed(qtbot, system_ctx, clock) -> None:
    clock.set(NOW)
    model = RackModel(system_ctx, clock)
    minute = timedelta(minutes=1)
    model.set_slots(
        [
            slot(1, "A", timedelta(hours=2)),  # aging: its seconds change every tick
            slot(2, "A", None),  # empty: never changes
            slot(3, "A", -10 * minute),  # finished 10 minutes ago: changes once a minute
            slot(4, "A", timedelta(hours=3)),
            slot(5, "B", None),
            slot(6, "B", timedelta(seconds=1)),  # finishes on the next tick
        ]
    )
    changes: list[tuple[int, int, int, int, list[int]]] = []

    def record(top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        changes.append((top.row(), top.column(), bottom.row(), bottom.column(), list(roles)))

    model.dataChanged.connect(record)
    clock.advance(seconds=1)
    assert model.tick() == 3
    cells = sorted((top, left, bottom, right) for top, left, bottom, right, _ in changes)
    assert cells == [(0, 0, 0, 0), (0, 3, 0, 3), (1, 1, 1, 1)]  # each alone, no rectangle
    finishing = next(roles for top, left, *_, roles in changes if (top, left) == (1, 1))
    assert Qt.ItemDataRole.BackgroundRole in finishing
    assert model.data(model.index(1, 1), RackRole.STATE) is SlotState.FINISHED
    assert model.data(model.index(0, 0), RackRole.COUNTDOWN) == "1:59:59"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DisplayRole) == "A-02"

    changes.clear()
    clock.advance(seconds=1)
    assert model.tick() == 2  # the two still aging; the finished ones wait for their minute
    assert sorted((top, left) for top, left, *_ in changes) == [(0, 0), (0, 3)]


def test_the_view_repaints_only_the_changed_cells(qtbot, system_ctx, clock) -> None:
    clock.set(NOW)
    model = RackModel(system_ctx, clock)
    aging = [slot(1, "A", timedelta(hours=1)), slot(2, "A", None), slot(3, "A", timedelta(hours=2))]
    model.set_slots([*aging, slot(4, "A", None)])
    view = RackView(model)
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.show()
    qtbot.waitExposed(view)
    painted: list[int] = []
    real_data = model.data

    def data(index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            painted.append(index.column())
        return real_data(index, role)

    model.data = data  # type: ignore[method-assign]
    QApplication.processEvents()
    painted.clear()
    clock.advance(seconds=1)
    model.tick()
    QApplication.processEvents()
    assert set(painted) == {0, 2}  # the empty slots between and beside are not painted again
