"""Headquarters' tab (总部), in pages: every center's figures of a month, the two-valid-complaints
warnings and headquarters' decisions, exported to Excel; every center's early-warning alarms. Shown to a user of headquarters only
(``app.headquarters.figures.is_headquarters``); the figures are read off the UI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.headquarters.export import export_network_month
from app.headquarters.warnings import NetworkMonth, WarningRow, network_month_with_warnings
from app.localtime import center_zone
from app.models import CenterKind, WarningDecision
from ui.changes import ChangeBridge
from ui.headquarters.alarms import NetworkAlarmsPage
from ui.headquarters.daily import DailyReportPage
from ui.headquarters.escalations import EscalationsPage
from ui.headquarters.stock import NetworkStockPage
from ui.i18n import format_time
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _number(value: float | int | None) -> str:
    return "—" if value is None else str(value)


def ask_export_path(parent: QWidget, month: date) -> Path | None:
    """Where to save the workbook (tests replace this)."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Export the month to Excel"),
        f"总部月报-{month:%Y-%m}.xlsx",
        "Excel (*.xlsx)",
    )
    return Path(name) if name else None


class HeadquartersTab(QWidget):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headquartersTab")
        self.ctx = ctx
        self.seen: NetworkMonth | None = None
        self._loaded = False
        title = QLabel(self.tr("Headquarters: the network's centers"), self)
        title.setObjectName("tabTitle")
        self.month = QDateEdit(self)
        self.month.setObjectName("hqMonth")
        self.month.setDisplayFormat("yyyy-MM")
        self.month.setCalendarPopup(True)
        today = ctx.now().astimezone(center_zone()).date()
        self.month.setDate(QDate(today.year, today.month, 1))
        self.month.dateChanged.connect(lambda _: self.refresh())
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.decide_button = QPushButton(self.tr("Decide on the warning…"), self)
        self.decide_button.setObjectName("hqDecide")
        self.decide_button.clicked.connect(self._decide)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.export_button.setObjectName("hqExport")
        self.export_button.clicked.connect(self._export)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month"), self))
        bar.addWidget(self.month)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.decide_button)
        bar.addWidget(self.export_button)
        self.figures = QTableWidget(0, 15, self)
        self.figures.setObjectName("hqFigures")
        self.figures.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Center"),
                self.tr("Kind"),
                self.tr("Received"),
                self.tr("Shipped"),
                self.tr("Turnaround (days)"),
                self.tr("QC first-pass yield"),
                self.tr("Repeat repairs"),
                self.tr("Follow-up rate"),
                self.tr("Satisfaction"),
                self.tr("Grade A"),
                self.tr("Grade B"),
                self.tr("Grade C"),
                self.tr("First contact ≤ 10 min"),
                self.tr("Valid complaints"),
            ]
        )
        self.warnings = QTableWidget(0, 8, self)
        self.warnings.setObjectName("hqWarnings")
        self.warnings.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.warnings.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.warnings.setHorizontalHeaderLabels(
            [
                self.tr("Center"),
                self.tr("Month"),
                self.tr("Valid complaints"),
                self.tr("Raised"),
                self.tr("Decision"),
                self.tr("Penalty (yuan)"),
                self.tr("Decided by"),
                self.tr("Approved by"),
            ]
        )
        for table in (self.figures, self.warnings):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("hqPages")
        month_page = QWidget(self.pages)
        month_page.setObjectName("hqMonthPage")
        month_layout = QVBoxLayout(month_page)
        month_layout.addLayout(bar)
        month_layout.addWidget(self.figures, 3)
        month_layout.addWidget(QLabel(self.tr("Two valid complaints in a month: warnings"), self))
        month_layout.addWidget(self.warnings, 2)
        self.pages.addTab(month_page, self.tr("Centers by month"))
        self.alarms = NetworkAlarmsPage(ctx, self.pages)
        self.pages.addTab(self.alarms, self.tr("Quality alarms"))
        self.stock = NetworkStockPage(ctx, self.pages)
        self.pages.addTab(self.stock, self.tr("Parts between centers"))
        self.escalations = EscalationsPage(ctx, self.pages)
        self.pages.addTab(self.escalations, self.tr("Escalated complaints"))
        self.daily = DailyReportPage(ctx, network=True, parent=self.pages)
        self.pages.addTab(self.daily, self.tr("Daily reports"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.pages, 1)

    def chosen_month(self) -> date:
        chosen = self.month.date()
        return date(chosen.year(), chosen.month(), 1)

    def kind_text(self, kind: CenterKind) -> str:
        return {
            CenterKind.HEADQUARTERS: self.tr("Headquarters"),
            CenterKind.OWN_CENTER: self.tr("Own center"),
            CenterKind.AUTHORISED_STATION: self.tr("Authorised station"),
            CenterKind.AGENT: self.tr("Agent"),
        }[kind]

    def decision_text(self, decision: WarningDecision | None) -> str:
        if decision is None:
            return self.tr("To decide")
        if decision is WarningDecision.PENALTY:
            return self.tr("Penalty")
        return self.tr("Public criticism (通报批评)")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:  # computed when someone looks
            self._loaded = True
            self.refresh()

    def refresh(self) -> None:
        month = self.chosen_month()
        BackgroundOp(self, lambda: network_month_with_warnings(self.ctx, month)).success(
            self.show_month
        ).run_in_background()

    def show_month(self, seen: NetworkMonth) -> None:
        self.seen = seen
        self.figures.setRowCount(len(seen.centers))
        for row, center in enumerate(seen.centers):
            kpi = center.kpi
            cells = [
                center.code,
                center.name,
                self.kind_text(center.kind),
                _number(kpi.received),
                _number(kpi.shipped),
                _number(kpi.turnaround_days_mean),
                _percent(kpi.qc_first_pass_yield),
                _percent(kpi.rework_rate),
                _percent(kpi.follow_up_rate),
                _percent(kpi.satisfaction),
                *(str(count) for count in kpi.complaints_by_grade),
                _percent(kpi.first_contact_in_time),
                ("⚠ " if center.warned else "") + str(kpi.valid_complaints),
            ]
            for column, text in enumerate(cells):
                self.figures.setItem(row, column, QTableWidgetItem(text))
        names = {center.center_id: f"{center.code} {center.name}" for center in seen.centers}
        self.warnings.setRowCount(len(seen.warnings))
        for row, warning in enumerate(seen.warnings):
            cells = [
                names.get(warning.station_id, "?"),
                warning.month,
                str(warning.valid_complaints),
                format_time(warning.raised_at),
                self.decision_text(warning.decision),
                "" if warning.penalty_cents is None else f"{warning.penalty_cents / 100:.2f}",
                warning.decided_by or "",
                warning.approved_by or "",
            ]
            for column, text in enumerate(cells):
                self.warnings.setItem(row, column, QTableWidgetItem(text))
        self.decide_button.setEnabled(bool(seen.warnings))

    def selected_warning(self) -> WarningRow | None:
        if self.seen is None or not self.seen.warnings:
            return None
        row = self.warnings.currentRow()
        return self.seen.warnings[row if 0 <= row < len(self.seen.warnings) else 0]

    def _decide(self) -> None:
        from ui.headquarters.decide import DecideDialog

        warning = self.selected_warning()
        if warning is None or warning.decision is not None:
            return
        dialog = DecideDialog(self.ctx, warning, self)
        if dialog.exec():
            self.refresh()

    def _export(self) -> None:
        month = self.chosen_month()
        path = ask_export_path(self, month)
        if path is None:
            return
        try:
            export_network_month(self.ctx, month, path)
        except DomainError as error:
            show_domain_error(self, error)
