"""Headquarters' page of escalated complaints (上报投诉): the worklist of every station's
escalations, read off the UI thread; take one, answer it with a decision and a note
(``app.headquarters.escalations``: each over the version the list loaded)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import Conflict, DomainError
from app.headquarters.escalations import WorklistRow, answer_escalation, take_escalation, worklist
from app.models import EscalationDecision
from app.vocabulary import ESCALATION_DECISION_LABELS, ESCALATION_STATUS_LABELS
from ui.i18n import format_time, tr_app
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error
from ui.widgets.floor_action import run_floor_action


class AnswerDialog(QDialog):
    """Headquarters' answer: a decision and a note for the station."""

    def __init__(self, row: WorklistRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqAnswerDialog")
        self.setWindowTitle(self.tr("Answer {no}").format(no=row.complaint_no))
        self.decision = QComboBox(self)
        self.decision.setObjectName("hqAnswerDecision")
        for decision in EscalationDecision:
            self.decision.addItem(tr_app(ESCALATION_DECISION_LABELS[decision]), decision)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("hqAnswerNote")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"{row.center_code} {row.center_name} · {row.escalation.reason}", self))
        form.addRow(self.tr("Decision"), self.decision)
        form.addRow(self.tr("Answer for the station"), self.note)
        form.addRow(buttons)

    def chosen(self) -> tuple[EscalationDecision, str]:
        return self.decision.currentData(), self.note.toPlainText()


class EscalationsPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqEscalationsPage")
        self.ctx = ctx
        self.rows: list[WorklistRow] = []
        self.loaded = False
        self.show_answered = QCheckBox(self.tr("Show answered"), self)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.take_button = QPushButton(self.tr("Take"), self)
        self.take_button.setObjectName("hqTakeEscalation")
        self.answer_button = QPushButton(self.tr("Answer…"), self)
        self.answer_button.setObjectName("hqAnswerEscalation")
        headers = [
            self.tr("Center"),
            self.tr("Complaint"),
            self.tr("Grade"),
            self.tr("Customer"),
            self.tr("Reason"),
            self.tr("Escalated"),
            self.tr("Status"),
            self.tr("Taken by"),
            self.tr("Answer"),
        ]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("hqEscalationsTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        bar = QHBoxLayout()
        for widget in (self.refresh_button, self.show_answered):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.take_button)
        bar.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.show_answered.toggled.connect(lambda _: self.refresh())
        self.take_button.clicked.connect(self._take)
        self.answer_button.clicked.connect(self._answer)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded:  # read when someone looks
            self.loaded = True
            self.refresh()

    def refresh(self) -> None:
        answered = self.show_answered.isChecked()
        BackgroundOp(self, lambda: worklist(self.ctx, answered=answered)).success(
            self.show_rows
        ).failure(lambda error: show_domain_error(self, error)).run_in_background()

    def show_rows(self, rows: list[WorklistRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            e = row.escalation
            decision = tr_app(ESCALATION_DECISION_LABELS[e.decision]) if e.decision else ""
            cells = [
                f"{row.center_code} {row.center_name}",
                row.complaint_no,
                row.grade.value,
                row.customer,
                e.reason,
                format_time(e.escalated_at),
                tr_app(ESCALATION_STATUS_LABELS[row.status]),
                row.taken_by or "",
                f"{decision}: {e.note}" if e.note else "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(number, column, QTableWidgetItem(text))
        if rows:
            self.table.selectRow(0)

    def selected(self) -> WorklistRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _run(self, action: Callable[[], object]) -> None:
        """``action`` (plain data) on the floor worker; the worklist read again after it (or
        after a conflict: someone changed it meanwhile, show what is saved now)."""

        def refused(error: DomainError) -> None:
            show_domain_error(self, error)
            if isinstance(error, Conflict):
                self.refresh()

        run_floor_action(self, action, lambda _result: self.refresh(), failed=refused)

    def ask_answer(self, row: WorklistRow) -> tuple[EscalationDecision, str] | None:
        """The decision and note typed (None: cancelled); tests replace this."""
        dialog = AnswerDialog(row, self)
        return dialog.chosen() if dialog.exec() else None

    def _take(self) -> None:
        row = self.selected()
        if row is not None:
            version = row.escalation.reply_version
            ctx, escalation_id = self.ctx, row.escalation.id
            self._run(lambda: take_escalation(ctx, escalation_id, expected_version=version))

    def _answer(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = self.ask_answer(row)
        if answer is None:
            return
        decision, note = answer
        ctx, escalation_id, version = self.ctx, row.escalation.id, row.escalation.reply_version
        self._run(
            lambda: answer_escalation(ctx, escalation_id, decision, note, expected_version=version)
        )
