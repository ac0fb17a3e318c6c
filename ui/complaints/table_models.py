"""The complaint register with each complaint's time left (overdue rows red), and the follow-up
worklist (overdue calls red). Small lists held whole: open complaints and calls due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from app import complaints
from app.clock import Clock
from app.complaints import followups
from app.context import Context
from app.vocabulary import COMPLAINT_CATEGORY_LABELS, COMPLAINT_STATUS_LABELS, label
from ui.i18n import format_time, tr_app
from ui.models.lists import ListTableModel
from ui.models.paged import Column, Index

LATE_BACKGROUND = QColor("#f4b4b4")
DARK_TEXT = QColor("#1a1a1a")


def format_left(left: timedelta | None) -> str:
    """Time left as the floor reads it: 2d 3h, 5h 10m, 8m; overdue with a minus sign."""
    if left is None:
        return ""
    sign = "-" if left < timedelta(0) else ""
    minutes = int(abs(left).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    return f"{sign}{minutes}m"


class _ClockedListModel(ListTableModel):
    """A list whose late rows are painted red (the clock decides what is late)."""

    def __init__(
        self,
        columns: tuple[Column, ...],
        load: Callable[[], list[Any]],
        clock: Clock,
        *,
        tables: frozenset[str],
        parent: Any = None,
    ) -> None:
        self.clock = clock
        super().__init__(columns, load, tables=tables, parent=parent)

    def is_late(self, row: Any, now: datetime) -> bool:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < self.rowCount():
            if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
                if self.is_late(self.row_object(index.row()), self.clock.now()):
                    late = role == Qt.ItemDataRole.BackgroundRole
                    return QBrush(LATE_BACKGROUND if late else DARK_TEXT)
                return None
        return super().data(index, role)

    def late_rows(self) -> int:
        now = self.clock.now()
        return sum(self.is_late(self.row_object(i), now) for i in range(self.rowCount()))


class ComplaintRegisterModel(_ClockedListModel):
    def __init__(self, ctx: Context, clock: Clock, parent: Any = None) -> None:
        def left(row: complaints.ComplaintListRow) -> str:
            return format_left(row.time_left(clock.now()))

        def step(row: complaints.ComplaintListRow) -> str:
            deadline = row.next_deadline()
            return "" if deadline is None else tr_app(deadline[1])

        columns = (
            Column(QT_TRANSLATE_NOOP("Columns", "Complaint no."), lambda r: r.complaint_no),
            Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda r: r.customer_name),
            Column(QT_TRANSLATE_NOOP("Columns", "Grade"), lambda r: r.grade.value),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Category"),
                lambda r: tr_app(COMPLAINT_CATEGORY_LABELS[r.category]),
            ),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Status"),
                lambda r: tr_app(COMPLAINT_STATUS_LABELS[r.status]),
            ),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Valid"),
                lambda r: (
                    QCoreApplication.translate("ComplaintRegisterModel", "valid")
                    if r.is_valid
                    else ""
                ),
            ),
            Column(QT_TRANSLATE_NOOP("Columns", "Next step"), step),
            Column(QT_TRANSLATE_NOOP("Columns", "Time left"), left, align_right=True),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Registered"), lambda r: format_time(r.received_at)
            ),
        )
        super().__init__(
            columns,
            lambda: complaints.register_rows(ctx),
            clock,
            tables=frozenset({"complaints", "customers"}),
            parent=parent,
        )

    def is_late(self, row: complaints.ComplaintListRow, now: datetime) -> bool:
        return row.is_overdue(now)


class FollowUpModel(_ClockedListModel):
    def __init__(self, ctx: Context, clock: Clock, parent: Any = None) -> None:
        columns = (
            Column(QT_TRANSLATE_NOOP("Columns", "Due"), lambda r: format_time(r.due_at)),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Kind"),
                lambda r: tr_app(label(r.kind)),
            ),
            Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda r: r.customer_name),
            Column(QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.customer_phone or ""),
            Column(QT_TRANSLATE_NOOP("Columns", "Order / complaint"), lambda r: r.subject),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Comment"),
                lambda r: (r.comment or "").replace("\n", " / "),
            ),
        )
        super().__init__(
            columns,
            lambda: followups.worklist(ctx),
            clock,
            tables=frozenset({"follow_ups", "complaints", "customers"}),
            parent=parent,
        )

    def is_late(self, row: followups.FollowUpRow, now: datetime) -> bool:
        return row.is_overdue(now)
