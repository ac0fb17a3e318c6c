"""The aging racks' state for the painted rack view (:mod:`ui.qc.rack`): one cell per slot, rack
per row and slot position per column, each with its countdown text and state, in plain Python
lists.

Cheap for hundreds of slots: the slots are read once from the core, and again only when the
change broadcast names the QC tables. A tick (driven by the panel's one timer) recomputes the
countdown texts in memory — never a query — and names the cells whose text or state changed in
one ``cells_changed`` signal: the view repaints those cells, not the grid. Whether a slot is
free, aging or finished is the core's rule (:meth:`app.qc.views.SlotView.state`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.clock import Clock
from app.context import Context
from app.qc.views import SlotState, SlotView, rack_view
from ui.i18n import format_time

__all__ = ["RACK_TABLES", "Cell", "RackModel", "SlotState", "countdown_text"]

# Tables whose changes move units on or off the racks.
RACK_TABLES = frozenset({"aging_runs", "repair_orders", "rack_slots", "racks", "product_models"})

Cell = tuple[int, int]  # (row: the rack, column: the slot's place in it)


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


class RackModel(QObject):
    """Row = rack, column = slot position in the rack; a rack's row ends at its last slot."""

    reset = Signal()  # the slots were read again: the view lays out and paints everything
    cells_changed = Signal(list)  # [(row, column)] whose countdown text (or state) changed
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
        self._state: list[list[SlotState]] = []
        self._columns = 0
        if load:  # else the owner reads the slots off the UI thread (``set_slots``)
            self.reload()

    # Loading
    def reload(self) -> None:
        """Read the slots again (the view keeps its chosen slot when it is still there)."""
        self.set_slots(rack_view(self._ctx))

    def set_slots(self, slots: Sequence[SlotView]) -> None:
        racks: list[str] = []
        grid: list[list[SlotView]] = []
        for slot in slots:
            if not racks or racks[-1] != slot.rack_code:
                racks.append(slot.rack_code)
                grid.append([])
            grid[-1].append(slot)
        now = self._clock.now()
        self._racks, self._grid = racks, grid
        self._columns = max((len(row) for row in grid), default=0)
        self._countdown = [[self._text(slot, now) for slot in row] for row in grid]
        self._state = [[slot.state(now) for slot in row] for row in grid]
        self.reset.emit()
        self.finished_changed.emit()

    # The tick
    def tick(self) -> int:
        """Recompute the countdowns in memory; ``cells_changed`` names the cells whose text
        changed (a unit that has just finished changes its state too).

        Returns how many cells changed.
        """
        now = self._clock.now()
        changed: list[Cell] = []
        any_finished = False
        for row, slots in enumerate(self._grid):
            texts, states = self._countdown[row], self._state[row]
            for column, slot in enumerate(slots):
                if slot.ready_at is None:
                    continue
                text = self._text(slot, now)
                if text == texts[column]:
                    continue
                texts[column] = text
                changed.append((row, column))
                if states[column] is SlotState.AGING and slot.finished(now):
                    states[column] = SlotState.FINISHED
                    any_finished = True
        if changed:
            self.cells_changed.emit(changed)
        if any_finished:
            self.finished_changed.emit()
        return len(changed)

    @staticmethod
    def _text(slot: SlotView, now: datetime) -> str:
        if slot.ready_at is None:
            return ""
        return countdown_text(slot.remaining(now), now - slot.ready_at)

    # Reading
    def row_count(self) -> int:
        return len(self._grid)

    def column_count(self) -> int:
        return self._columns

    def rack_codes(self) -> list[str]:
        return list(self._racks)

    def row(self, row: int) -> list[SlotView]:
        return self._grid[row]

    def slot_at(self, row: int, column: int) -> SlotView | None:
        if 0 <= row < len(self._grid) and 0 <= column < len(self._grid[row]):
            return self._grid[row][column]
        return None

    def countdown(self, row: int, column: int) -> str:
        """ "1:23:45", "Done +0:12", or "" for a free slot (as the tick left it)."""
        return self._countdown[row][column]

    def state(self, row: int, column: int) -> SlotState:
        return self._state[row][column]

    def cell_of_slot(self, slot_id: int) -> Cell | None:
        return self._find(lambda slot: slot.slot_id == slot_id)

    def cell_of_order(self, order_id: int) -> Cell | None:
        return self._find(lambda slot: slot.order_id == order_id)

    def _find(self, wanted: Any) -> Cell | None:
        for row, slots in enumerate(self._grid):
            for column, slot in enumerate(slots):
                if wanted(slot):
                    return row, column
        return None

    def slots(self) -> list[SlotView]:
        return [slot for row in self._grid for slot in row]

    def finished_slots(self) -> list[SlotView]:
        now = self._clock.now()
        return [slot for slot in self.slots() if slot.finished(now)]

    def counts(self) -> tuple[int, int, int]:
        """(aging, finished, free) slots."""
        now = self._clock.now()
        slots = self.slots()
        finished = sum(slot.finished(now) for slot in slots)
        free = sum(slot.order_id is None for slot in slots)
        return len(slots) - finished - free, finished, free

    def tool_tip(self, row: int, column: int) -> str:
        slot = self.slot_at(row, column)
        if slot is None or slot.order_no is None:
            return ""
        return QCoreApplication.translate(
            "RackModel", "{order_no} · {model}\nOn the rack since {started}\nReady at {ready}"
        ).format(
            order_no=slot.order_no,
            model=slot.model or "",
            started=format_time(slot.started_at),
            ready=format_time(slot.ready_at),
        )

    def describe(self, row: int, column: int) -> str:
        """One slot in words (for a screen reader): its code, its unit and time, or free."""
        slot = self.slot_at(row, column)
        if slot is None:
            return ""
        if slot.order_no is None:
            return QCoreApplication.translate("RackModel", "Slot {slot}: free").format(
                slot=slot.slot_code
            )
        if self._state[row][column] is SlotState.FINISHED:
            text = QCoreApplication.translate(
                "RackModel", "Slot {slot}: {order_no} {model}, finished, sign it off ({time})"
            )
        else:
            text = QCoreApplication.translate(
                "RackModel", "Slot {slot}: {order_no} {model}, aging, {time} left"
            )
        return text.format(
            slot=slot.slot_code,
            order_no=slot.order_no,
            model=slot.model or "",
            time=self._countdown[row][column],
        )
