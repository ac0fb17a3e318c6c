"""The parts counter's panel: the order at the counter, who receives the parts, the quantity of
the next scan and the checks of the last part, with what the keeper may do about them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.shortcuts import routine


class CounterPanel(QGroupBox):
    """The order at the counter, who receives the parts, and the checks of the last part."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partsCounter")
        self.setTitle(self.tr("At the counter"))
        self.order_label = QLabel(self.tr("Scan a repair-order label"), self)
        self.order_label.setObjectName("counterOrder")
        self.technician_label = QLabel("—", self)
        self.technician_label.setObjectName("counterTechnician")
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("partsQuantity")
        self.quantity.setRange(1, 999)
        self.checks = QLabel("", self)
        self.checks.setObjectName("issueChecks")
        self.checks.setWordWrap(True)
        self.override_reason = QLineEdit(self)
        self.override_reason.setObjectName("fitOverrideReason")
        self.override_reason.setPlaceholderText(self.tr("Reason to issue a part not listed"))
        self.override_button = QPushButton(self.tr("Issue anyway"), self)
        self.override_button.setObjectName("issueAnyway")
        self.wait_button = QPushButton(self.tr("Waiting for parts"), self)
        self.wait_button.setObjectName("waitForParts")
        routine(self.override_button, "F5")
        routine(self.wait_button, "F6")
        self.unblocked = QLabel("", self)
        self.unblocked.setObjectName("unblockedOrders")
        self.unblocked.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Order"), self.order_label)
        form.addRow(self.tr("Received by"), self.technician_label)
        form.addRow(self.tr("Quantity of next scan"), self.quantity)
        form.addRow(self.tr("Checks"), self.checks)
        buttons = QHBoxLayout()
        buttons.addWidget(self.override_reason, 1)
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.wait_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.unblocked)
        self.set_pending(None)

    def set_pending(self, kind: str | None) -> None:
        """What the keeper may do about the last part: override the fit, or record a wait."""
        self.override_reason.setVisible(kind == "fit")
        self.override_button.setVisible(kind == "fit")
        self.wait_button.setVisible(kind == "wait")
