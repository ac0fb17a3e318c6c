"""Customer care (客户关怀): the outbox of text messages (to send by hand when no provider is
configured; sent off the UI thread when one is), the apology calls owed after an unsatisfied
survey (overdue red), and the satisfaction figures exported to Excel."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.clock import Clock
from app.complaints import care_exports, notice_events, notices, sending, survey
from app.complaints.notice_runner import SenderState
from app.context import Context
from app.errors import N_, InvalidInput
from app.localtime import local
from ui.complaints.notice_timer import state_text
from ui.complaints.table_models import _ClockedListModel
from ui.i18n import format_time, tr_app
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.floor_action import run_floor_action
from ui.widgets.table_view import DataTableView


class OutboxModel(ListTableModel):
    def __init__(self, ctx: Context, parent: Any = None) -> None:
        columns = (
            Column(QT_TRANSLATE_NOOP("Columns", "Queued"), lambda r: format_time(r.created_at)),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Event"),
                lambda r: tr_app(notices.EVENT_LABELS[r.event]),
            ),
            Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda r: r.customer_name),
            Column(QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.phone or ""),
            Column(
                QT_TRANSLATE_NOOP("Columns", "Status"),
                lambda r: tr_app(notices.STATUS_LABELS[r.status]),
            ),
            Column(QT_TRANSLATE_NOOP("Columns", "Attempts"), lambda r: str(r.attempts)),
            Column(QT_TRANSLATE_NOOP("Columns", "Message"), lambda r: r.text),
            Column(QT_TRANSLATE_NOOP("Columns", "Last error"), lambda r: r.last_error or ""),
        )
        super().__init__(
            columns,
            lambda: notices.outbox(ctx),
            tables=frozenset({"notices", "customers"}),
            parent=parent,
        )


class ApologyModel(_ClockedListModel):
    def __init__(self, ctx: Context, clock: Clock, parent: Any = None) -> None:
        columns = (
            Column(QT_TRANSLATE_NOOP("Columns", "Due"), lambda r: format_time(r.due_at)),
            Column(QT_TRANSLATE_NOOP("Columns", "Customer"), lambda r: r.customer_name),
            Column(QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.customer_phone or ""),
            Column(QT_TRANSLATE_NOOP("Columns", "Unsatisfied items"), lambda r: r.detail or ""),
        )
        super().__init__(
            columns,
            lambda: survey.apology_calls(ctx),
            clock,
            tables=frozenset({"care_tasks", "customers"}),
            parent=parent,
        )

    def is_late(self, row: survey.ApologyTask, now: datetime) -> bool:
        return row.is_overdue(now)


def _send_pass(ctx: Context) -> tuple[int, sending.PassReport | None]:
    """Queue the due notices and send them (when a provider is configured): off the UI thread."""
    queued = notice_events.queue_due_notices(ctx)
    provider = sending.configured_provider(ctx)
    if provider is None:
        return queued, None
    report = sending.send_due(ctx, provider)
    delivered = sending.refresh_deliveries(ctx, provider)
    return queued, sending.PassReport(report.sent, report.retrying, report.failed, delivered)


class CarePanel(QWidget):
    def __init__(self, ctx: Context, guarded: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("carePanel")
        self.ctx, self.guarded = ctx, guarded
        self.outbox_model = OutboxModel(ctx, self)
        self.outbox = DataTableView(self.outbox_model, "outboxTable", self)
        self.apology_model = ApologyModel(ctx, ctx.clock, self)
        self.apologies = DataTableView(self.apology_model, "apologyTable", self)
        self.apology_outcome = QLineEdit(self)
        self.apology_outcome.setObjectName("apologyOutcome")
        self.apology_outcome.setPlaceholderText(
            self.tr("What the customer said on the apology call")
        )
        self.status = QLabel(self)
        self.status.setObjectName("careStatus")
        self.status.setWordWrap(True)
        self.timer_state = QLabel(state_text(None, ctx.station), self)
        self.timer_state.setObjectName("noticeTimerState")
        self.timer_state.setWordWrap(True)
        outbox_actions = QHBoxLayout()
        apology_actions = QHBoxLayout()
        for row, name, text, action in (
            (
                outbox_actions,
                "sendNoticesButton",
                self.tr("Queue and send notices now"),
                self.send_now,
            ),
            (outbox_actions, "sentByHandButton", self.tr("Sent by hand"), self._sent_by_hand),
            (
                outbox_actions,
                "exportSatisfactionButton",
                self.tr("Export satisfaction (Excel)…"),
                self._export,
            ),
            (apology_actions, "apologyDoneButton", self.tr("Apology call made"), self._apology),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, act=action: self.guarded(act))
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Text messages to customers (outbox)"), self))
        layout.addWidget(self.outbox, 2)
        layout.addLayout(outbox_actions)
        layout.addWidget(self.status)
        layout.addWidget(self.timer_state)
        layout.addWidget(QLabel(self.tr("Apology calls owed"), self))
        layout.addWidget(self.apologies, 1)
        layout.addWidget(self.apology_outcome)
        layout.addLayout(apology_actions)

    def refresh(self) -> None:
        self.outbox_model.refresh()
        self.apology_model.refresh()

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        self.outbox_model.refresh_if_changed(tables)
        self.apology_model.refresh_if_changed(tables)

    def show_sender_state(self, state: SenderState | str | None) -> None:
        """The outbox timer's state (ui.complaints.notice_timer), red when its pass failed."""
        self.timer_state.setText(state_text(state, self.ctx.station))
        failed = isinstance(state, str) or (state is not None and bool(state.error))
        self.timer_state.setStyleSheet("QLabel { color: #8a1c1c; }" if failed else "")

    def send_now(self) -> None:
        """Queue what the events are due and send through the provider, off the UI thread."""
        ctx = self.ctx  # the work holds plain data, never this page
        op = BackgroundOp(self, lambda: _send_pass(ctx))
        op.success(self._sent)
        op.with_progress(self.tr("Sending notices…"))
        op.run_in_background()

    def _sent(self, result: tuple[int, sending.PassReport | None]) -> None:
        queued, report = result
        if report is None:
            self.status.setText(
                self.tr(
                    "{queued} notices queued. No provider is configured: send the messages "
                    "marked 'To send' by hand, then mark them sent."
                ).format(queued=queued)
            )
        else:
            self.status.setText(
                self.tr(
                    "{queued} queued, {sent} sent, {retrying} to retry, {failed} failed, "
                    "{delivered} delivered."
                ).format(
                    queued=queued,
                    sent=report.sent,
                    retrying=report.retrying,
                    failed=report.failed,
                    delivered=report.delivered,
                )
            )
        self.refresh()

    def _selected(self, table: DataTableView, model: ListTableModel, message: str) -> Any:
        rows = table.selectionModel().selectedRows()
        if not rows:
            raise InvalidInput(message)
        return model.row_object(rows[0].row())

    def _sent_by_hand(self) -> None:
        """Marked on the floor worker (the button waits)."""
        row = self._selected(self.outbox, self.outbox_model, N_("Choose a message in the outbox."))
        ctx, notice_id, version = self.ctx, row.id, row.version
        run_floor_action(
            self,
            lambda: notices.mark_sent_by_hand(ctx, notice_id, expected_version=version),
            lambda _result: self.outbox_model.refresh(),
            button=self.findChild(QPushButton, "sentByHandButton"),
        )

    def _apology(self) -> None:
        """Recorded on the floor worker (the button waits); the outcome cleared once saved."""
        row = self._selected(
            self.apologies, self.apology_model, N_("Choose a call in the apology list.")
        )
        ctx, call_id, outcome = self.ctx, row.id, self.apology_outcome.text()

        def recorded(_result: object) -> None:
            self.apology_outcome.clear()
            self.apology_model.refresh()

        run_floor_action(
            self,
            lambda: survey.record_apology_call(ctx, call_id, outcome),
            recorded,
            button=self.findChild(QPushButton, "apologyDoneButton"),
        )

    def satisfaction_period(self) -> tuple[datetime, datetime]:
        """The last twelve months up to now (the months as the center counts them)."""
        now = self.ctx.now()
        start = local(now - timedelta(days=365)).replace(day=1, hour=0, minute=0, second=0)
        return start, now + timedelta(seconds=1)

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export satisfaction"), "满意度.xlsx", "Excel (*.xlsx)"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        since, until = self.satisfaction_period()
        rows = care_exports.export_satisfaction(self.ctx, path, since, until)
        self.status.setText(self.tr("{rows} rows exported to {path}.").format(rows=rows, path=path))
