"""The daily report page (日报): a day's figures and the complaints handled that day, read off the
UI thread, exported to Excel or PDF (``app.headquarters.daily_report``). Headquarters sees every
center (``network``); a station its own center, on its complaints tab."""

from __future__ import annotations

from collections.abc import Callable
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
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.headquarters.daily_export import (
    COMPLAINT_COLUMNS,
    FIGURE_COLUMNS,
    complaint_row,
    export_daily_reports,
    figure_row,
)
from app.headquarters.daily_report import DailyReport, network_reports, station_report
from app.localtime import center_zone
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error


def ask_path(parent: QWidget, name: str, kind: str) -> Path | None:
    """Where to save the report (tests replace this)."""
    chosen, _ = QFileDialog.getSaveFileName(parent, parent.tr("Save the daily report"), name, kind)
    return Path(chosen) if chosen else None


def _fill(table: QTableWidget, rows: list[tuple[object, ...]]) -> None:
    table.setRowCount(len(rows))
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            text = f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value)
            table.setItem(number, column, QTableWidgetItem(text))


class DailyReportPage(QWidget):
    def __init__(self, ctx: Context, *, network: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqDailyPage" if network else "stationDailyPage")
        self.ctx, self.network = ctx, network
        self.reports: list[DailyReport] = []
        self.loaded = False
        self.day = QDateEdit(self)
        self.day.setObjectName("dailyReportDay")
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        today = ctx.now().astimezone(center_zone()).date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.excel_button = QPushButton(self.tr("Export to Excel…"), self)
        self.excel_button.setObjectName("dailyExcel")
        self.pdf_button = QPushButton(self.tr("Export to PDF…"), self)
        self.pdf_button.setObjectName("dailyPdf")
        # The headers are the report's own (Chinese, as exported).
        self.figures = QTableWidget(0, len(FIGURE_COLUMNS), self)
        self.figures.setObjectName("dailyFigures")
        self.figures.setHorizontalHeaderLabels([c.header for c in FIGURE_COLUMNS])
        self.complaints = QTableWidget(0, len(COMPLAINT_COLUMNS), self)
        self.complaints.setObjectName("dailyComplaints")
        self.complaints.setHorizontalHeaderLabels([c.header for c in COMPLAINT_COLUMNS])
        for table in (self.figures, self.complaints):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Day"), self))
        bar.addWidget(self.day)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.excel_button)
        bar.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.figures, 1)
        layout.addWidget(QLabel(self.tr("Complaints handled that day and their results"), self))
        layout.addWidget(self.complaints, 2)
        self.refresh_button.clicked.connect(self.refresh)
        self.day.dateChanged.connect(lambda _: self.refresh())
        self.excel_button.clicked.connect(self._excel)
        self.pdf_button.clicked.connect(self._pdf)

    def chosen_day(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def read(self, day: date) -> list[DailyReport]:
        """In the read worker."""
        if self.network:
            return network_reports(self.ctx, day)
        return [station_report(self.ctx, day)]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded:  # read when someone looks
            self.loaded = True
            self.refresh()

    def refresh(self) -> None:
        day = self.chosen_day()
        BackgroundOp(self, lambda: self.read(day)).success(self.show_reports).failure(
            lambda error: show_domain_error(self, error)
        ).run_in_background()

    def show_reports(self, reports: list[DailyReport]) -> None:
        self.reports = reports
        _fill(self.figures, [figure_row(report) for report in reports])
        _fill(
            self.complaints,
            [complaint_row(report, result) for report in reports for result in report.complaints],
        )

    def _export(self, kind: str, suffix: str, write: Callable[[Path], object]) -> None:
        path = ask_path(self, f"日报-{self.chosen_day():%Y-%m-%d}{suffix}", kind)
        if path is None:
            return
        try:
            write(path)
        except DomainError as error:
            show_domain_error(self, error)

    def _excel(self) -> None:
        self._export(
            "Excel (*.xlsx)", ".xlsx", lambda path: export_daily_reports(self.reports, path)
        )

    def _pdf(self) -> None:
        from app.documents.daily_report import daily_report_pdf  # reportlab loads here

        self._export(
            "PDF (*.pdf)", ".pdf", lambda path: path.write_bytes(daily_report_pdf(self.reports))
        )
