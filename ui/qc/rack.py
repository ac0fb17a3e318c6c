"""The aging racks at a glance: the grid of slots (:class:`ui.qc.rack_view.RackView`, painted
from :mod:`ui.qc.rack_model`), the heading with the counts, and one QTimer for the whole view that
ticks the countdowns every second while the racks are on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.clock import Clock
from app.context import Context
from app.qc.views import rack_view
from ui.ops import LatestRead
from ui.qc.rack_model import RACK_TABLES, RackModel
from ui.qc.rack_view import RackView

__all__ = ["RackPanel", "RackView"]

TICK_MS = 1000


class RackPanel(QWidget):
    """The heading with the counts, the legend, the grid, and the one timer that ticks it."""

    def __init__(self, ctx: Context, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qcRackPanel")
        self.model = RackModel(ctx, clock, self, load=False)
        self._slots = LatestRead(self, self.model.set_slots)
        self.heading = QLabel(self)
        self.heading.setObjectName("sectionHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; padding: 2px 0; }")
        legend = QLabel(
            self.tr(
                "Grey: free · white: aging, time left · green: finished, sign it off "
                "(arrows to choose a slot, Enter to sign off)"
            ),
            self,
        )
        legend.setObjectName("qcRackLegend")
        legend.setWordWrap(True)
        legend.setStyleSheet("QLabel { color: #555; }")
        self.view = RackView(self.model, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(legend)
        layout.addWidget(self.view, 1)
        self.timer = QTimer(self)
        self.timer.setObjectName("qcRackTimer")
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.model.finished_changed.connect(self._update_heading)
        self._update_heading()
        self._ctx = ctx
        self.read_slots()

    def read_slots(self) -> None:
        """The slots read again on the read worker (a change elsewhere, the first show)."""
        ctx = self._ctx  # the work holds plain data, never this panel
        self._slots.run(lambda: rack_view(ctx))

    def reload_now(self) -> None:
        """Read the slots at once (after this station placed or signed off a unit: the unit is
        selected next); a read still in flight is older and is dropped."""
        self._slots.drop_pending()
        self.model.reload()

    def tick(self) -> None:
        self.model.tick()

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        if tables & RACK_TABLES:
            self.read_slots()

    def _update_heading(self) -> None:
        aging, finished, free = self.model.counts()
        if not self.model.slots():
            text = self.tr("Aging racks: none set up yet, units are registered without a slot")
        else:
            text = self.tr("Aging racks: {aging} aging · {finished} finished · {free} free").format(
                aging=aging, finished=finished, free=free
            )
        self.heading.setText(text)

    # The timer runs only while the racks are on screen.
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.model.tick()
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)
