"""The scanned unit's earlier visits, beside the intake form: a repeat repair shows at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from app.receiving.desk import HistoryLine
from ui.i18n import format_time, state_label


class UnitHistory(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self.tr("Unit history"), self)
        self.heading.setObjectName("unitHistoryHeading")
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.list = QListWidget(self)
        self.list.setObjectName("unitHistory")
        self.list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)

    def show_history(self, serial: str, history: list[HistoryLine]) -> None:
        self.list.clear()
        if not history:
            self.heading.setText(
                self.tr("Unit history: {serial} is new here").format(serial=serial)
            )
            return
        self.heading.setText(
            self.tr("Unit history: {serial}, {count} earlier visit(s)").format(
                serial=serial, count=len(history)
            )
        )
        for line in history:
            marks = " ".join(
                mark
                for mark, on in (
                    ("返修", line.is_repeat),
                    (self.tr("rework"), line.is_rework),
                    ("保内" if line.in_warranty else "保外", True),
                )
                if on
            )
            self.list.addItem(
                self.tr("{order_no} · {received} → {shipped} · {state} · {fault} {marks}").format(
                    order_no=line.order_no,
                    received=format_time(line.received_at),
                    shipped=format_time(line.shipped_at) or "-",
                    state=state_label(line.state),
                    fault=line.fault_description or "-",
                    marks=marks,
                )
            )
