"""Headquarters' page of the early warning (质量预警): every center's alarms in one list, and the
check over the whole network's returns (``app.headquarters.alarms``). Each center acknowledges
and closes its own alarms on its quality page; headquarters' own ones too, on its own."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.context import Context
from app.errors import DomainError
from app.headquarters.alarms import NetworkAlarm, check_network_alarms, network_alarms
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.quality.page import ALARM_COLUMNS
from ui.widgets.feedback import show_domain_error
from ui.widgets.sections import TableSection


def _of_alarm(column: Column) -> Column:
    """A column of the quality page's alarm list, read from a network row's alarm."""
    display = column.display
    return replace(column, display=lambda row: display(row.alarm))


NETWORK_ALARM_COLUMNS = (
    Column(
        QT_TRANSLATE_NOOP("Columns", "Center"),
        lambda row: f"{row.center_code} {row.center_name}",
    ),
    *(_of_alarm(column) for column in ALARM_COLUMNS),
)


class NetworkAlarmsPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqAlarmsPage")
        self.ctx = ctx
        self.show_closed = QCheckBox(self.tr("Show closed alarms"), self)
        self.check_button = QPushButton(self.tr("Check the whole network now"), self)
        self.check_button.setObjectName("hqCheckAlarms")
        self.status = QLabel(self)
        self.alarms = TableSection(
            self.tr("Early-warning alarms of every center"),
            ListTableModel(
                NETWORK_ALARM_COLUMNS,
                self._read,
                tables=frozenset({"quality_alarms"}),
                args=lambda: (self.show_closed.isChecked(),),
            ),
            "hqAlarmsTable",
        )
        bar = QHBoxLayout()
        bar.addWidget(self.check_button)
        bar.addWidget(self.show_closed)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Each center acknowledges and closes its own alarms on its quality page; "
                    "the check here counts the returns of every center together."
                ),
                self,
            )
        )
        layout.addWidget(self.alarms, 1)
        self.show_closed.toggled.connect(lambda _: self.alarms.reload())
        self.check_button.clicked.connect(self.check)

    def _read(self, include_closed: bool) -> list[NetworkAlarm]:
        """In the read worker."""
        return network_alarms(self.ctx, include_closed=include_closed)

    def check(self) -> None:
        self.check_button.setEnabled(False)
        BackgroundOp(self, lambda: check_network_alarms(self.ctx)).success(self._checked).failure(
            self._refused
        ).run_in_background()

    def _checked(self, new: list[Any]) -> None:
        self.check_button.setEnabled(True)
        self.status.setText(self.tr("Check done: {count} new alarm(s).").format(count=len(new)))
        self.alarms.reload()

    def _refused(self, error: DomainError) -> None:
        self.check_button.setEnabled(True)
        show_domain_error(self, error)
