"""Technicians on the dispatcher's page: the picker (busiest first) and the workload per
technician; an overdue count is painted in the order list's overdue colour
(``ui.models.orders.OVERDUE_BACKGROUND``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.allocation import dispatch as allocation
from ui.models.orders import OVERDUE_BACKGROUND


class TechnicianPicker(QComboBox):
    """Active technicians, busiest first (as the workload panel lists them)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setMinimumWidth(160)

    def fill(self, loads: list[allocation.TechnicianLoad]) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        for load in loads:
            badge = f" ({load.badge_code})" if load.badge_code else ""
            self.addItem(load.name + badge, load.technician_id)
        index = self.findData(current)
        self.setCurrentIndex(index if index >= 0 else (0 if self.count() else -1))
        self.blockSignals(False)

    def technician_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None


class WorkloadPanel(QTableWidget):
    """Open and overdue orders per technician; small (one row a technician), rebuilt on change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("workloadTable")
        self.setHorizontalHeaderLabels([self.tr("Technician"), self.tr("Open"), self.tr("Overdue")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.loads: list[allocation.TechnicianLoad] = []

    def show_loads(self, loads: list[allocation.TechnicianLoad]) -> None:
        self.loads = loads
        self.setRowCount(len(loads))
        for row, load in enumerate(loads):
            cells = (load.name, str(load.open_orders), str(load.overdue_orders))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 2 and load.overdue_orders:
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    item.setForeground(QBrush(QColor("#1a1a1a")))
                self.setItem(row, column, item)
        self.resizeColumnToContents(0)
