"""The aging racks as a table model: one cell per slot (rack per row), its unit and a countdown.

Cheap for hundreds of slots: the model holds the slots read once from the core, and reloads them
only when the change broadcast names the QC tables. A tick (driven by the panel's one timer)
recomputes the countdown texts in memory and emits ``dataChanged`` for each cell whose text
changed, with the countdown roles only: the view repaints those cells, not the grid. Qt's item delegate paints each cell from the model's
roles (no widget per slot), read from a table of each cell's role values kept with the texts:
grey when empty, white while aging, green and bold when finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.clock import Clock
from app.context import Context
from app.qc.views import SlotView, rack_view
from ui.i18n import format_time

Index = QModelIndex | QPersistentModelIndex

# Tables whose changes move units on or off the racks.
RACK_TABLES = frozenset({"aging_runs", "repair_orders", "rack_slots", "racks", "product_models"})


class SlotState(IntEnum):
    EMPTY = 0
    AGING = 1
    FINISHED = 2


class RackRole(IntEnum):
    SLOT = Qt.ItemDataRole.UserRole + 1  # the SlotView
    COUNTDOWN = Qt.ItemDataRole.UserRole + 2  # "1:23:45", "Done", or "" when empty
    STATE = Qt.ItemDataRole.UserRole + 3  # SlotState


def countdown_text(remaining: timedelta | None, over: timedelta | None = None) -> str:
    """The time left as H:MM:SS; once finished, "Done" (and how long it has waited, H:MM)."""
    if remaining is None:
        return ""
    if remaining > timedelta(0):
        seconds = int(remaining.total_seconds() + 0.999)  # never show 0:00:00 while still aging
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    done = QCoreApplication.translate("RackModel", "Done")
    minutes = int(over.total_seconds() // 60) if over is not None else 0
    return done if minutes <= 0 else f"{done} +{minutes // 60}:{minutes % 60:02d}"


class RackModel(QAbstractTableModel):
    """Row = rack, column = slot position in the rack; cells past a rack's last slot are empty."""

    finished_changed = Signal()  # a unit finished its time, or the slots were reloaded

    def __init__(
        self, ctx: Context, clock: Clock, parent: Any = None, *, load: bool = True
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._clock = clock
        self._racks: list[str] = []
        self._grid: list[list[SlotView]] = []
        self._countdown: list[list[str]] = []
        self._finished: list[list[bool]] = []
        self._cells: list[list[dict[int, Any]]] = []  # each cell's role values, for data()
        self._flags: list[list[Qt.ItemFlag]] = []  # asked for each painted cell: kept, not made
        self._columns = 0
        self._bold = QFont()
        self._bold.setBold(True)
        if load:  # else the owner reads the slots off the UI thread (``set_slots``)
            self.reload()

    # Loading
    def reload(self) -> None:
        """Read the slots again; keeps the view's selection when the racks have not changed."""
        self.set_slots(rack_view(self._ctx))

    def set_slots(self, slots: Sequence[SlotView]) -> None:
        racks: list[str] = []
        grid: list[list[SlotView]] = []
        for slot in slots:
            if not racks or racks[-1] != slot.rack_code:
                racks.append(slot.rack_code)
                grid.append([])
            grid[-1].append(slot)
        same_shape = racks == self._racks and [[slot.slot_id for slot in row] for row in grid] == [
            [slot.slot_id for slot in row] for row in self._grid
        ]
        if not same_shape:
            self.beginResetModel()
        self._racks, self._grid = racks, grid
        self._columns = max((len(row) for row in grid), default=0)
        now = self._clock.now()
        self._countdown = [[self._text(slot, now) for slot in row] for row in grid]
        self._finished = [[self._is_finished(slot, now) for slot in row] for row in grid]
        self._cells = [
            [self._roles(slot, texts[column], done[column]) for column, slot in enumerate(row)]
            for row, texts, done in zip(grid, self._countdown, self._finished, strict=True)
        ]
        self._flags = [[_SLOT_FLAGS] * len(row) for row in grid]
        if same_shape:
            if grid:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(grid) - 1, self._columns - 1)
                )
        else:
            self.endResetModel()
        self.finished_changed.emit()

    # The tick
    def tick(self) -> int:
        """Recompute the countdowns; ``dataChanged`` for each cell whose text changed, alone (a
        view repaints exactly that cell; a range would repaint more than its rectangle).

        Returns how many cells changed.
        """
        now = self._clock.now()
        changed = 0
        any_finished = False
        for row, slots in enumerate(self._grid):
            texts, finished, cells = self._countdown[row], self._finished[row], self._cells[row]
            for column, slot in enumerate(slots):
                if slot.ready_at is None:
                    continue
                text = self._text(slot, now)
                if text == texts[column]:
                    continue
                texts[column] = text
                changed += 1
                roles = _TICK_ROLES
                if not finished[column] and slot.ready_at <= now:
                    finished[column] = any_finished = True
                    roles = _FINISH_ROLES
                cells[column] = self._roles(slot, text, finished[column])
                index = self.index(row, column)
                self.dataChanged.emit(index, index, roles)
        if any_finished:
            self.finished_changed.emit()
        return changed

    def _roles(self, slot: SlotView, countdown: str, finished: bool) -> dict[int, Any]:
        """The values ``data()`` answers for one cell (the tool tip is made when asked)."""
        if slot.order_no is None:
            state = SlotState.EMPTY
            display = slot.slot_code
        else:
            state = SlotState.FINISHED if finished else SlotState.AGING
            display = f"{slot.slot_code}  {countdown}\n{slot.order_no}\n{slot.model or ''}"
        return {
            Qt.ItemDataRole.DisplayRole: display,
            RackRole.COUNTDOWN: countdown,
            RackRole.STATE: state,
            RackRole.SLOT: slot,
            Qt.ItemDataRole.BackgroundRole: _FILL[state],
            Qt.ItemDataRole.ForegroundRole: _TEXT[state],
            Qt.ItemDataRole.FontRole: self._bold if state is SlotState.FINISHED else None,
            Qt.ItemDataRole.TextAlignmentRole: _ALIGN,
        }

    @staticmethod
    def _is_finished(slot: SlotView, now: datetime) -> bool:
        return slot.ready_at is not None and slot.ready_at <= now

    @staticmethod
    def _text(slot: SlotView, now: datetime) -> str:
        if slot.ready_at is None:
            return ""
        return countdown_text(slot.remaining(now), now - slot.ready_at)

    # Reading
    def slot_at(self, index: Index) -> SlotView | None:
        if not index.isValid() or index.row() >= len(self._grid):
            return None
        row = self._grid[index.row()]
        return row[index.column()] if index.column() < len(row) else None

    def index_of_slot(self, slot_id: int) -> QModelIndex:
        for row, slots in enumerate(self._grid):
            for column, slot in enumerate(slots):
                if slot.slot_id == slot_id:
                    return self.index(row, column)
        return QModelIndex()

    def index_of_order(self, order_id: int) -> QModelIndex:
        for row, slots in enumerate(self._grid):
            for column, slot in enumerate(slots):
                if slot.order_id == order_id:
                    return self.index(row, column)
        return QModelIndex()

    def slots(self) -> list[SlotView]:
        return [slot for row in self._grid for slot in row]

    def finished_slots(self) -> list[SlotView]:
        now = self._clock.now()
        return [slot for slot in self.slots() if self._is_finished(slot, now)]

    def counts(self) -> tuple[int, int, int]:
        """(aging, finished, free) slots."""
        now = self._clock.now()
        slots = self.slots()
        finished = sum(self._is_finished(slot, now) for slot in slots)
        free = sum(slot.order_id is None for slot in slots)
        return len(slots) - finished - free, finished, free

    def state_of(self, index: Index) -> SlotState:
        slot = self.slot_at(index)
        if slot is None or slot.order_id is None:
            return SlotState.EMPTY
        return (
            SlotState.FINISHED if self._finished[index.row()][index.column()] else SlotState.AGING
        )

    # Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._grid)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def flags(self, index: Index) -> Qt.ItemFlag:
        row, column = index.row(), index.column()
        if row < 0 or column < 0 or row >= len(self._flags) or column >= len(self._flags[row]):
            return Qt.ItemFlag.NoItemFlags
        return self._flags[row][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if row < 0 or column < 0 or row >= len(self._cells) or column >= len(self._cells[row]):
            return None
        cell = self._cells[row][column]
        if role != Qt.ItemDataRole.ToolTipRole:
            return cell.get(role)
        slot: SlotView = cell[RackRole.SLOT]
        if slot.order_no is not None:
            return QCoreApplication.translate(
                "RackModel", "{order_no} · {model}\nOn the rack since {started}\nReady at {ready}"
            ).format(
                order_no=slot.order_no,
                model=slot.model or "",
                started=format_time(slot.started_at),
                ready=format_time(slot.ready_at),
            )
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._racks):
            return self._racks[section]
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self._columns:
            return str(section + 1)
        return None


# Painted by Qt's own delegate (C++) from these roles: no Python call per painted cell beyond
# data(). (A Python paint() here also costs a reference to None per QPainter call with PySide6
# 6.12 on Python 3.11, enough to abort the application within seconds of ticking.)
_FILL = {
    SlotState.EMPTY: QBrush(QColor("#e4e4e4")),
    SlotState.AGING: QBrush(QColor("#ffffff")),
    SlotState.FINISHED: QBrush(QColor("#b9e8c4")),
}
_TEXT = {
    SlotState.EMPTY: QBrush(QColor("#777777")),
    SlotState.AGING: QBrush(QColor("#1f3f5b")),
    SlotState.FINISHED: QBrush(QColor("#0b5d1e")),
}
_ALIGN = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_SLOT_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# Roles a tick changes: the countdown text, and the colours when a unit has just finished.
_TICK_ROLES = [Qt.ItemDataRole.DisplayRole, RackRole.COUNTDOWN]
_FINISH_ROLES = [
    *_TICK_ROLES,
    RackRole.STATE,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
]
