"""Root causes and corrective actions on the field-quality page: the open actions (the
worklist), recording a root cause for a complaint, rework, QC fail or alarm, reporting an
action done and verifying it, and the Pareto of the causes of the last months."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.models import CauseSubject, RootCause
from app.quality import actions
from app.quality.actions import ActionRow
from app.quality.detector import month_index, month_start
from app.vocabulary import label
from ui.i18n import tr_app
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error
from ui.widgets.sections import TableSection

ACTION_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "For"), lambda a: tr_app(label(a.subject))),
    Column(QT_TRANSLATE_NOOP("Columns", "Root cause"), lambda a: tr_app(label(a.cause))),
    Column(QT_TRANSLATE_NOOP("Columns", "Corrective action"), lambda a: a.action),
    Column(QT_TRANSLATE_NOOP("Columns", "Responsible"), lambda a: a.responsible),
    Column(QT_TRANSLATE_NOOP("Columns", "Due"), lambda a: f"{a.due_date:%Y-%m-%d}"),
    Column(QT_TRANSLATE_NOOP("Columns", "Status"), lambda a: tr_app(label(a.status))),
)
PARETO_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Month"), lambda row: f"{row[0]:%Y-%m}"),
    Column(QT_TRANSLATE_NOOP("Columns", "Root cause"), lambda row: tr_app(label(row[1]))),
    Column(QT_TRANSLATE_NOOP("Columns", "Count"), lambda row: str(row[2]), None, True),
)
PARETO_MONTHS = 3
TABLES = frozenset({"corrective_actions"})


class RootCauseDialog(QDialog):
    """What the root cause is for (by its number), the cause, why, the action, who, by when."""

    def __init__(self, parent: QWidget | None = None, alarm_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Root cause and corrective action"))
        self.subject = QComboBox(self)
        for subject in CauseSubject:
            self.subject.addItem(tr_app(label(subject)), subject)
        self.number = QLineEdit(self)
        self.number.setPlaceholderText(self.tr("complaint or order number; alarm number"))
        if alarm_id is not None:
            self.subject.setCurrentIndex(list(CauseSubject).index(CauseSubject.ALARM))
            self.number.setText(str(alarm_id))
        self.cause = QComboBox(self)
        for cause in RootCause:
            self.cause.addItem(tr_app(label(cause)), cause)
        self.analysis = QPlainTextEdit(self)
        self.action = QPlainTextEdit(self)
        self.responsible = QLineEdit(self)
        self.due = QDateEdit(QDate.currentDate().addDays(14), self)
        self.due.setCalendarPopup(True)
        form = QFormLayout(self)
        form.addRow(self.tr("For"), self.subject)
        form.addRow(self.tr("Number"), self.number)
        form.addRow(self.tr("Root cause"), self.cause)
        form.addRow(self.tr("Why it happened"), self.analysis)
        form.addRow(self.tr("Corrective action"), self.action)
        form.addRow(self.tr("Responsible"), self.responsible)
        form.addRow(self.tr("Due"), self.due)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "subject": self.subject.currentData(),
            "number": self.number.text(),
            "cause": self.cause.currentData(),
            "analysis": self.analysis.toPlainText(),
            "action": self.action.toPlainText(),
            "responsible": self.responsible.text(),
            "due_date": self.due.date().toPython(),
        }


def ask_root_cause(parent: QWidget, alarm_id: int | None) -> dict[str, Any] | None:
    """The dialog's values, or None when cancelled (tests replace this)."""
    dialog = RootCauseDialog(parent, alarm_id)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_text(parent: QWidget, prompt: str) -> tuple[str, bool]:
    """A note (tests replace this)."""
    return QInputDialog.getMultiLineText(parent, parent.tr("Corrective action"), prompt)


def ask_works(parent: QWidget) -> bool:
    """Does the action work (tests replace this)?"""
    answer = QMessageBox.question(
        parent, parent.tr("Corrective action"), parent.tr("Does the action work?")
    )
    return answer == QMessageBox.StandardButton.Yes


def _open_actions(ctx: Context) -> list[ActionRow]:
    """In the read worker."""
    try:
        return actions.open_actions(ctx)
    except DomainError:
        return []


def _pareto(ctx: Context) -> list[tuple[date, RootCause, int]]:
    """In the read worker."""
    now = ctx.now()
    first = month_start(month_index(now.date()) - PARETO_MONTHS + 1)
    start = datetime(first.year, first.month, 1, tzinfo=UTC)
    try:
        months = actions.cause_pareto(ctx, start, now + timedelta(days=1))
    except DomainError:
        return []
    return [(month, cause, n) for month, causes in reversed(months) for cause, n in causes]


class ActionsPanel(QWidget):
    def __init__(
        self, ctx: Context, selected_alarm: Callable[[], int | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("correctiveActionsPanel")
        self.ctx = ctx
        self._selected_alarm = selected_alarm
        self.worklist = TableSection(
            self.tr("Open corrective actions"),
            ListTableModel(ACTION_COLUMNS, lambda: _open_actions(ctx), tables=TABLES),
            "correctiveActionsTable",
        )
        self.pareto = TableSection(
            self.tr("Root causes of the last three months"),
            ListTableModel(PARETO_COLUMNS, lambda: _pareto(ctx), tables=TABLES),
            "rootCauseParetoTable",
        )
        self.cause_button = QPushButton(self.tr("Root cause…"), self)
        self.done_button = QPushButton(self.tr("Action done…"), self)
        self.verify_button = QPushButton(self.tr("Verify…"), self)
        self.status = QLabel(self)
        buttons = QHBoxLayout()
        for button in (self.cause_button, self.done_button, self.verify_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.worklist, 2)
        layout.addWidget(self.pareto, 1)
        self.cause_button.clicked.connect(self.record_cause)
        self.done_button.clicked.connect(self.finish)
        self.verify_button.clicked.connect(self.verify)

    def selected(self) -> ActionRow | None:
        rows = self.worklist.view.selectionModel().selectedRows()
        if not rows:
            self.status.setText(self.tr("Select an action first."))
            return None
        row: ActionRow = self.worklist.model.row_object(rows[0].row())  # type: ignore[attr-defined]
        return row

    def record_cause(self) -> None:
        values = ask_root_cause(self, self._selected_alarm())
        if values is None:
            return
        number, subject = values.pop("number"), values.pop("subject")

        def work() -> int:
            subject_id = actions.subject_for(self.ctx, subject, number)
            return actions.record_root_cause(self.ctx, subject, subject_id, **values)

        self._run(work)

    def finish(self) -> None:
        row = self.selected()
        if row is None:
            return
        note, accepted = ask_text(self, self.tr("What was done?"))
        if accepted:
            self._run(
                lambda: actions.finish_action(self.ctx, row.id, note, expected_version=row.version)
            )

    def verify(self) -> None:
        row = self.selected()
        if row is None:
            return
        works = ask_works(self)
        note, accepted = ask_text(self, self.tr("How was it checked?"))
        if accepted:
            self._run(
                lambda: actions.verify_action(
                    self.ctx, row.id, note, works=works, expected_version=row.version
                )
            )

    def reload(self) -> None:
        self.worklist.reload()
        self.pareto.reload()

    def _run(self, work: Callable[[], Any]) -> None:
        def refused(error: DomainError) -> None:
            show_domain_error(self, error)
            self.reload()

        BackgroundOp(self, work).success(lambda _: self.reload()).failure(
            refused
        ).run_in_background()
