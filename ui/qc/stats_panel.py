"""QC statistics beside the racks: first-pass yield per model and per technician by week, and
the units whose time is up but that still wait to be signed off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.clock import Clock
from app.context import Context
from app.qc.views import SlotView, YieldRow, first_pass_yield
from ui.i18n import format_time
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.qc.rack_model import RackModel
from ui.widgets.table_view import DataTableView

STATS_TABLES = frozenset({"aging_runs"})
WEEKS_SHOWN = 8


def _yield_columns(key_header: str) -> tuple[Column, ...]:
    return (
        Column(QT_TRANSLATE_NOOP("Columns", "Week of"), lambda row: row.week.isoformat()),
        Column(key_header, lambda row: row.key),
        Column(
            QT_TRANSLATE_NOOP("Columns", "First runs"),
            lambda row: str(row.first_runs),
            align_right=True,
        ),
        Column(
            QT_TRANSLATE_NOOP("Columns", "Passed first time"),
            lambda row: str(row.first_pass),
            align_right=True,
        ),
        Column(
            QT_TRANSLATE_NOOP("Columns", "First-pass yield"),
            lambda row: f"{row.rate:.1%}",
            align_right=True,
        ),
    )


def _over_by(now: Callable[[], datetime]) -> Callable[[SlotView], str]:
    def text(slot: SlotView) -> str:
        minutes = int((now() - slot.ready_at).total_seconds() // 60) if slot.ready_at else 0
        return f"{minutes // 60}:{minutes % 60:02d}"

    return text


class QcStatsPanel(QTabWidget):
    def __init__(
        self,
        ctx: Context,
        clock: Clock,
        racks: RackModel,
        parent: QWidget | None = None,
        later: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qcStatsPanel")
        self._ctx, self._clock = ctx, clock

        def weeks(by: str) -> Callable[[], list[YieldRow]]:
            def load() -> list[YieldRow]:
                now = clock.now()
                start = now - timedelta(weeks=WEEKS_SHOWN)
                rows = first_pass_yield(ctx, start, now + timedelta(days=1), by=by)  # type: ignore[arg-type]
                return sorted(rows, key=lambda row: (row.week, row.key), reverse=True)

            return load

        self.by_model = ListTableModel(
            _yield_columns(QT_TRANSLATE_NOOP("Columns", "Model")),
            weeks("model"),
            tables=STATS_TABLES,
            parent=self,
        )
        self.by_technician = ListTableModel(
            _yield_columns(QT_TRANSLATE_NOOP("Columns", "Technician")),
            weeks("technician"),
            tables=STATS_TABLES,
            parent=self,
        )
        # Read from the rack model in memory: no query, refreshed when a unit finishes.
        self.over_time = ListTableModel(
            (
                Column(QT_TRANSLATE_NOOP("Columns", "Slot"), lambda slot: slot.slot_code),
                Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda slot: slot.order_no),
                Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda slot: slot.model or ""),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Ready at"),
                    lambda slot: format_time(slot.ready_at),
                ),
                Column(
                    QT_TRANSLATE_NOOP("Columns", "Waiting (h:mm)"),
                    _over_by(clock.now),
                    align_right=True,
                ),
            ),
            lambda: sorted(racks.finished_slots(), key=lambda slot: slot.ready_at),
            parent=self,
            in_memory=True,  # the rack model's slots: no query
        )
        racks.finished_changed.connect(self.over_time.refresh)
        # The page in sight now, the two behind it each in a later turn (``later``: when the
        # QC tab is built stepwise, ui/widgets/build_steps.py)
        self._add_page(self.over_time, "qcOverTimeTable", self.tr("Over time, not signed off"))
        build = later or (lambda part: part())
        build(
            lambda: self._add_page(
                self.by_model, "qcYieldByModelTable", self.tr("First-pass yield by model")
            )
        )
        build(
            lambda: self._add_page(
                self.by_technician,
                "qcYieldByTechnicianTable",
                self.tr("First-pass yield by technician"),
            )
        )

    def _add_page(self, model: ListTableModel, name: str, title: str) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(DataTableView(model, name, page))
        self.addTab(page, title)

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        self.by_model.refresh_if_changed(tables)
        self.by_technician.refresh_if_changed(tables)
