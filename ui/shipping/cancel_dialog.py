"""Cancelling a shipment asks why (the reason is recorded in the audit trail)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class CancelShipmentDialog(QDialog):
    """Asks why a shipment is cancelled (the reason is recorded); opened with ``open()``. OK
    emits ``confirmed``: the tab saves, then closes it (``accept``), or leaves it open."""

    confirmed = Signal()

    def __init__(self, shipment_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelShipmentDialog")
        self.setWindowTitle(
            self.tr("Cancel shipment {shipment_no}").format(shipment_no=shipment_no)
        )
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cancelReasonInput")
        self.reason.setPlaceholderText(
            self.tr("Why is it cancelled? (e.g. the customer changed the address)")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.confirmed.emit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The units go back to the ready-to-ship list."), self))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
