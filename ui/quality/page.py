"""The field-quality page of the ledgers and dashboard tab (质量预警): the early-warning alarms
a supervisor acknowledges and closes, and each model's failure rate over the sales register.
Every figure and rule is in ``app/quality``; this page shows them and sends the notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.localtime import center_zone
from app.quality import alarms, rates
from app.quality.alarms import AlarmRow
from app.quality.detector import month_index, month_start
from app.quality.report import write_report_files
from app.vocabulary import label
from ui.i18n import format_time, tr_app
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.quality.actions_panel import ActionsPanel
from ui.quality.knowledge_panel import KnowledgePanel
from ui.widgets.feedback import show_domain_error
from ui.widgets.sections import TableSection


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


ALARM_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda a: a.model_code),
    Column(QT_TRANSLATE_NOOP("Columns", "Sold in"), lambda a: f"{a.sale_month:%Y-%m}"),
    Column(QT_TRANSLATE_NOOP("Columns", "Fault"), lambda a: f"{a.fault_code} {a.fault_text}"),
    Column(QT_TRANSLATE_NOOP("Columns", "Returned"), lambda a: str(a.observed), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Expected"), lambda a: f"{a.expected:.1f}", None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Since"), lambda a: format_time(a.since)),
    Column(QT_TRANSLATE_NOOP("Columns", "Status"), lambda a: tr_app(label(a.status))),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Note"), lambda a: a.close_note or a.acknowledge_note or ""
    ),
)
RATE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda r: r.model_code),
    Column(QT_TRANSLATE_NOOP("Columns", "Sold"), lambda r: str(r.sold), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Returned"), lambda r: str(r.returned), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Return rate"), lambda r: _percent(r.rate), None, True),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Unknown population"),
        lambda r: str(r.unknown_population),
        None,
        True,
    ),
)
WATCHED_MONTHS = 12  # the rates table: units sold in the last twelve months


def _alarms(ctx: Context, include_closed: bool) -> list[AlarmRow]:
    """In the read worker."""
    try:
        return alarms.alarm_list(ctx, include_closed=include_closed)
    except DomainError:
        return []  # a role without the ledgers sees an empty list


def _rates(ctx: Context) -> list[Any]:
    """In the read worker."""
    today = ctx.now().astimezone(center_zone()).date()
    first = month_start(month_index(today) - WATCHED_MONTHS + 1)
    try:
        return rates.overview(ctx, first, today)
    except DomainError:
        return []


class QualityPage(QWidget):
    """Alarms (open first; closed ones on request) and the rates per model."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qualityPage")
        self.ctx = ctx
        self.show_closed = QCheckBox(self.tr("Show closed alarms"), self)
        self.alarms = TableSection(
            self.tr("Early-warning alarms"),
            ListTableModel(
                ALARM_COLUMNS,
                lambda closed: _alarms(ctx, closed),
                tables=frozenset({"quality_alarms"}),
                args=lambda: (self.show_closed.isChecked(),),
            ),
            "qualityAlarmsTable",
        )
        self.rates = TableSection(
            self.tr("Return rates of the last twelve months' sales"),
            ListTableModel(RATE_COLUMNS, lambda: _rates(ctx), tables=frozenset({"repair_orders"})),
            "qualityRatesTable",
        )
        self.check_button = QPushButton(self.tr("Check now"), self)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge…"), self)
        self.close_button = QPushButton(self.tr("Close alarm…"), self)
        self.report_button = QPushButton(self.tr("Monthly report…"), self)
        self.status = QLabel(self)
        buttons = QHBoxLayout()
        for widget in (
            self.check_button,
            self.acknowledge_button,
            self.close_button,
            self.report_button,
        ):
            buttons.addWidget(widget)
        buttons.addWidget(self.show_closed)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.alarms, 3)
        layout.addWidget(self.rates, 2)
        self.actions = ActionsPanel(ctx, self.selected_alarm_id, self)
        layout.addWidget(self.actions, 3)
        self.knowledge = KnowledgePanel(ctx, self)
        layout.addWidget(self.knowledge, 2)
        self.check_button.clicked.connect(self.check)
        self.acknowledge_button.clicked.connect(lambda: self._note(acknowledge=True))
        self.close_button.clicked.connect(lambda: self._note(acknowledge=False))
        self.show_closed.toggled.connect(lambda _: self.alarms.reload())
        self.report_button.clicked.connect(self.write_report)

    def selected_alarm(self) -> AlarmRow | None:
        rows = self.alarms.view.selectionModel().selectedRows()
        if not rows:
            return None
        row: AlarmRow = self.alarms.model.row_object(rows[0].row())  # type: ignore[attr-defined]
        return row

    def selected_alarm_id(self) -> int | None:
        rows = self.alarms.view.selectionModel().selectedRows()
        return self.selected_alarm().id if rows else None  # type: ignore[union-attr]

    def write_report(self) -> None:
        model = self.rates.model
        models = [model.row_object(i).model_code for i in range(model.rowCount())]  # type: ignore[attr-defined]
        if not models:
            self.status.setText(self.tr("No model has sales in the register yet."))
            return
        today = self.ctx.now().astimezone(center_zone()).date()
        choice = ask_report(self, models, month_start(month_index(today) - 1))
        if choice is None:
            return
        model_code, month, folder = choice

        def written(paths: list[Any]) -> None:
            self.status.setText(
                self.tr("Report written: {files}").format(files=", ".join(p.name for p in paths))
            )

        self._run(lambda: write_report_files(self.ctx, model_code, month, folder), written)

    def check(self) -> None:
        self._run(lambda: alarms.check_for_alarms(self.ctx), self._checked)

    def _checked(self, new: list[int]) -> None:
        self.status.setText(self.tr("Check done: {count} new alarm(s).").format(count=len(new)))
        self.alarms.reload()

    def _note(self, *, acknowledge: bool) -> None:
        alarm = self.selected_alarm()
        if alarm is None:
            self.status.setText(self.tr("Select an alarm first."))
            return
        prompt = (
            self.tr("What is being done about it?")
            if acknowledge
            else self.tr("How was it resolved (cause found, source stopped)?")
        )
        note, accepted = ask_note(self, prompt)
        if not accepted:
            return
        service = alarms.acknowledge_alarm if acknowledge else alarms.close_alarm
        self._run(
            lambda: service(self.ctx, alarm.id, note, expected_version=alarm.version),
            lambda _: self.alarms.reload(),
        )

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        def refused(error: DomainError) -> None:
            show_domain_error(self, error)
            self.alarms.reload()

        BackgroundOp(self, work).success(done).failure(refused).run_in_background()


def ask_report(parent: QWidget, models: list[str], month: date) -> tuple[str, date, Path] | None:
    """Which model, which month (the last by default), which folder (tests replace this)."""
    model, chosen = QInputDialog.getItem(
        parent, parent.tr("Monthly report"), parent.tr("Model"), models, 0, False
    )
    if not chosen:
        return None
    text, chosen = QInputDialog.getText(
        parent, parent.tr("Monthly report"), parent.tr("Month (YYYY-MM)"), text=f"{month:%Y-%m}"
    )
    if not chosen:
        return None
    try:
        year, number = (int(part) for part in text.strip().split("-"))
        month = date(year, number, 1)
    except ValueError:
        return None
    folder = QFileDialog.getExistingDirectory(parent, parent.tr("Folder for the report"))
    return (model, month, Path(folder)) if folder else None


def ask_note(parent: QWidget, prompt: str) -> tuple[str, bool]:
    """The note for an alarm (tests replace this)."""
    return QInputDialog.getMultiLineText(parent, parent.tr("Early-warning alarm"), prompt)
