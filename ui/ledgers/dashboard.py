"""The KPI dashboard: the center's targets by week or month, the turnaround distribution and
each technician's output. Figures are computed off the UI thread, then shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from app.complaints import valid_complaints_warning
from app.context import Context
from app.ledgers.kpi import (
    MonthKpi,
    TechnicianOutput,
    period_kpis,
    technician_productivity,
    turnaround_histogram,
)
from app.localtime import center_zone
from ui.ledgers.kpi_table import KpiTableModel
from ui.ledgers.tiles import Tiles
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.sections import TableSection

PERIODS_SHOWN = {"week": 8, "month": 6}


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


TECHNICIAN_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Technician"), lambda t: t.name),
    Column(QT_TRANSLATE_NOOP("Columns", "Repaired"), lambda t: str(t.repaired), None, True),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Per working day"),
        lambda t: _number(t.per_working_day),
        None,
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Hours in repair"),
        lambda t: _number(t.mean_hours_in_repair),
        None,
        True,
    ),
)


@dataclass(frozen=True)
class Figures:
    kpis: list[MonthKpi]
    turnaround: list[tuple[str, int]]
    technicians: list[TechnicianOutput]
    valid_complaints_this_month: int | None = None  # set when it reaches the warning level


def compute(ctx: Context, today: date, granularity: str) -> Figures:
    if granularity == "week":
        first = today - timedelta(days=today.weekday() + 7 * (PERIODS_SHOWN["week"] - 1))
    else:
        first = today.replace(day=1)
        for _ in range(PERIODS_SHOWN["month"] - 1):
            first = (first - timedelta(days=1)).replace(day=1)
    noon = datetime.combine(today, time(12), center_zone())
    return Figures(
        list(reversed(period_kpis(ctx, first, today, granularity))),  # newest first
        turnaround_histogram(ctx, first, today),
        technician_productivity(ctx, first, today),
        valid_complaints_warning(ctx, noon),
    )


class TurnaroundChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("turnaroundChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        chart = QChart()
        chart.setTitle(QCoreApplication.translate("Dashboard", "Turnaround: received → shipped"))
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)

    def show_histogram(self, bins: list[tuple[str, int]]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bars = QBarSet(QCoreApplication.translate("Dashboard", "Orders"))
        bars.setColor(QColor("#2e8b57"))
        bars.append([float(count) for _, count in bins])
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([label for label, _ in bins])
        categories.setTruncateLabels(False)  # a label is read whole, never "…"
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setRange(0, max(5, max((count for _, count in bins), default=0) * 1.15))
        values.applyNiceNumbers()
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)


class Dashboard(QWidget):
    def __init__(
        self, ctx: Context, today: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.ctx, self.today = ctx, today
        self.figures = Figures([], [], [])
        self.granularity = QComboBox(self)
        self.granularity.setObjectName("granularity")
        self.granularity.addItem(self.tr("By month"), "month")
        self.granularity.addItem(self.tr("By week"), "week")
        self.granularity.currentIndexChanged.connect(self.refresh)
        self.tiles = Tiles(ctx, ctx.now, self)
        self.kpis = TableSection(
            self.tr("Targets: follow-up 100%, satisfaction ≥ 98%, parts ≥ 98%"),
            KpiTableModel(),
            "kpiTable",
        )
        self.kpis.view.verticalHeader().setVisible(True)  # the measures, beside their figures
        self.kpis.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.technicians = TableSection(
            self.tr("Technician output"),
            ListTableModel(TECHNICIAN_COLUMNS, lambda: self.figures.technicians, in_memory=True),
            "technicianTable",
        )
        self.turnaround = TurnaroundChart(self)
        self.warning = QLabel(self)
        self.warning.setObjectName("complaintWarning")
        self.warning.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
        self.warning.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("KPI dashboard"), self))
        top.addWidget(self.warning)
        top.addStretch(1)
        top.addWidget(self.granularity)
        lower = QHBoxLayout()
        lower.addWidget(self.turnaround, 3)
        lower.addWidget(self.technicians, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tiles)
        layout.addWidget(self.kpis, 3)
        layout.addLayout(lower, 2)

    def refresh(self) -> None:
        self.tiles.refresh()
        granularity = self.granularity.currentData()
        today, ctx = self.today(), self.ctx  # the work holds plain data, never this widget
        BackgroundOp(self, lambda: compute(ctx, today, granularity)).success(
            self.show_figures
        ).run_in_background()

    def show_figures(self, figures: Figures) -> None:
        self.figures = figures
        self.kpis.model.show_periods(figures.kpis, self.granularity.currentData())
        self.technicians.model.refresh()
        self.turnaround.show_histogram(figures.turnaround)
        count = figures.valid_complaints_this_month
        self.warning.setVisible(count is not None)
        if count is not None:  # two valid complaints in a month: a warning sign (seed 000)
            self.warning.setText(
                self.tr("⚠ {count} valid complaints this month").format(count=count)
            )
