"""The complaint register (客怨处理登记表) as a table; open complaints first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from app.clock import Clock, SystemClock
from app.complaints.views import (
    COMPLAINT_CATEGORY_LABELS,
    COMPLAINT_STATUS_LABELS,
    ComplaintRow,
    complaint_page,
    count_complaints,
)
from app.db import Database
from app.models import ComplaintStatus
from ui.i18n import format_time, tr_app
from ui.models.paged import Column, PagedTableModel

LATE_BACKGROUND = QColor("#f8d0d0")
DARK_TEXT = QColor("#1a1a1a")


def _valid(row: ComplaintRow) -> str:
    return QCoreApplication.translate("ComplaintTableModel", "valid") if row.is_valid else ""


COMPLAINT_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "Complaint no."), lambda r: r.complaint_no, "complaint_no"),
    Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda r: r.customer_name, "customer_name"),
    Column(QT_TRANSLATE_NOOP("Columns", "Grade"), lambda r: r.grade.value, "grade"),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Category"),
        lambda r: tr_app(COMPLAINT_CATEGORY_LABELS[r.category]),
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Status"),
        lambda r: tr_app(COMPLAINT_STATUS_LABELS[r.status]),
        "status",
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Valid"), _valid),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Registered"),
        lambda r: format_time(r.received_at),
        "received_at",
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Answer due"),
        lambda r: format_time(r.answer_due),
        "answer_due",
    ),
)
_ANSWER_DUE = COMPLAINT_COLUMNS[7]


class ComplaintTableModel(PagedTableModel):
    columns = COMPLAINT_COLUMNS
    tables = frozenset({"complaints", "customers"})

    def __init__(self, db: Database, *, clock: Clock | None = None, parent: Any = None) -> None:
        super().__init__(sort_key="received_at", descending=True, parent=parent)
        self._db = db
        self._clock = clock or SystemClock()
        self.refresh()

    def count(self) -> int:
        return count_complaints(self._db)

    def page(
        self, offset: int, limit: int, sort_key: str, descending: bool
    ) -> Sequence[ComplaintRow]:
        if limit <= 0:
            return []
        return complaint_page(
            self._db, offset=offset, limit=limit, sort_key=sort_key, descending=descending
        )

    def cell_role(self, row: ComplaintRow, column: Column, role: int) -> Any:
        late = (
            column is _ANSWER_DUE
            and row.status is ComplaintStatus.OPEN
            and row.answered_at is None
            and row.answer_due < self._clock.now()
        )
        if not late:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(LATE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(DARK_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return QCoreApplication.translate("ComplaintTableModel", "Answer overdue")
        return None
