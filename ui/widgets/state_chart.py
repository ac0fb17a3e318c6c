"""A bar chart of open orders per state (QtCharts is imported only when a ledger tab is built)."""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from app.models import RepairState
from ui.i18n import state_label


class StateChart(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        chart = QChart()
        chart.setTitle(QCoreApplication.translate("StateChart", "Repair orders by state"))
        chart.legend().setVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.setChart(chart)

    def show_counts(self, counts: dict[RepairState, int]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        bars = QBarSet(QCoreApplication.translate("StateChart", "Orders"))
        bars.setColor(QColor("#1f5f8b"))
        states = list(reversed(counts))  # the flow reads top-down: received first
        bars.append([float(counts[state]) for state in states])
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([state_label(state) for state in states])
        categories.setTruncateLabels(False)  # a label is read whole, never "…"
        # Room for every label (QtCharts skips the labels that would overlap).
        self.setMinimumHeight(max(260, len(states) * (self.fontMetrics().height() + 8) + 80))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setRange(0, max(5, math.ceil(max(counts.values(), default=0) * 1.15)))
        values.setTickCount(6)
        values.applyNiceNumbers()  # whole numbers on the axis
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
