"""The KPI table of the dashboard, one column per period (newest at the right) and one row per
measure: a handful of narrow columns that never scroll sideways, counts headed as counts, and
only the periods with anything in them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt

from app.ledgers.kpi import TARGETS, MonthKpi
from ui.models.paged import COLUMNS_CONTEXT, Column, Index


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _with_target(value: float | None, key: str) -> str:
    text = _percent(value)
    return text if value is None or value >= TARGETS[key] else f"{text} ⚠"


MEASURES = (
    Column(QT_TRANSLATE_NOOP("Columns", "Units received"), lambda k: str(k.received)),
    Column(QT_TRANSLATE_NOOP("Columns", "Units shipped"), lambda k: str(k.shipped)),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Turnaround (days)"), lambda k: _number(k.turnaround_days_mean)
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "QC first pass"), lambda k: _percent(k.qc_first_pass_yield)
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Repeat repairs"), lambda k: _percent(k.rework_rate)),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Follow-up rate"),
        lambda k: _with_target(k.follow_up_rate, "follow_up_rate"),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Satisfaction"),
        lambda k: _with_target(k.satisfaction, "satisfaction"),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Parts issued right"),
        lambda k: _with_target(k.parts_accuracy, "parts_accuracy"),
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Complaints (count)"), lambda k: str(k.complaints)),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Valid complaints (count)"),
        lambda k: f"{k.valid_complaints} ⚠" if k.valid_complaints >= 2 else str(k.valid_complaints),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Answered in time"), lambda k: _percent(k.answered_in_time)
    ),
)


class KpiTableModel(QAbstractTableModel):
    """Rows: the measures; columns: the periods shown, oldest left, newest right."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.periods: list[MonthKpi] = []
        self.granularity = "month"

    def show_periods(self, kpis: Sequence[MonthKpi], granularity: str) -> None:
        self.beginResetModel()
        self.periods = sorted((k for k in kpis if k.has_activity), key=lambda k: k.month)
        self.granularity = granularity
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MEASURES)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.periods)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.periods):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return MEASURES[index.row()].display(self.periods[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(MEASURES):
            return QCoreApplication.translate(COLUMNS_CONTEXT, MEASURES[section].header)
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.periods):
            first = self.periods[section].month
            return f"{first:%Y-%m}" if self.granularity == "month" else f"{first:%m-%d}"
        return None
