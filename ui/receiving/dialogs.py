"""The receiving desk's dialogs: open a box (sender + declared quantity), close it (a note on a
difference), and check a sales-register file before applying it. Each is opened with
``open()``; the service call happens on OK and a refusal keeps the dialog open with the reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.receiving import BoxSummary, open_box
from app.receiving.desk import WaybillCheck, add_sender, search_senders
from ui.widgets.feedback import MessageLine, Outcome, show_domain_error


class OpenBoxDialog(QDialog):
    """The sender of the box and how many units they declared; Enter opens the box."""

    box_opened = Signal(int)

    def __init__(self, ctx: Context, waybill: WaybillCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openBoxDialog")
        self.ctx = ctx
        self.waybill = waybill
        self.setWindowTitle(self.tr("Open box {waybill}").format(waybill=waybill.waybill_no))
        heading = QLabel(
            self.tr("Waybill {waybill} ({carrier})").format(
                waybill=waybill.waybill_no, carrier=waybill.carrier_name
            ),
            self,
        )
        heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        self.search = QLineEdit(self)
        self.search.setObjectName("senderSearch")
        self.search.setPlaceholderText(self.tr("Type the start of the name or phone"))
        self.sender = QComboBox(self)
        self.sender.setObjectName("senderCombo")
        self.search.textChanged.connect(self._search)
        self.new_sender = QCheckBox(self.tr("New sender"), self)
        self.new_sender.setObjectName("newSenderCheck")
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newSenderName")
        self.new_phone = QLineEdit(self)
        self.new_phone.setObjectName("newSenderPhone")
        self.new_address = QLineEdit(self)
        self.new_address.setObjectName("newSenderAddress")
        self.new_form = QWidget(self)
        new_layout = QFormLayout(self.new_form)
        new_layout.setContentsMargins(0, 0, 0, 0)
        new_layout.addRow(self.tr("Name"), self.new_name)
        new_layout.addRow(self.tr("Phone"), self.new_phone)
        new_layout.addRow(self.tr("Address"), self.new_address)
        self.new_form.setVisible(False)
        self.new_sender.toggled.connect(self._toggle_new)
        self.declared = QSpinBox(self)
        self.declared.setObjectName("declaredQuantity")
        self.declared.setRange(1, 9999)
        self.message = MessageLine(self)
        self.message.setObjectName("openBoxMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Open box"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Sender"), self.search)
        form.addRow("", self.sender)
        form.addRow("", self.new_sender)
        form.addRow("", self.new_form)
        form.addRow(self.tr("Declared quantity"), self.declared)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._search("")

    def _search(self, text: str) -> None:
        self.sender.clear()
        for sender in search_senders(self.ctx, text):
            label = f"{sender.name} · {sender.phone}" if sender.phone else sender.name
            self.sender.addItem(label, sender.id)

    def _toggle_new(self, on: bool) -> None:
        self.new_form.setVisible(on)
        self.search.setEnabled(not on)
        self.sender.setEnabled(not on)
        (self.new_name if on else self.search).setFocus()

    def accept(self) -> None:
        try:
            if self.new_sender.isChecked():
                sender_id = add_sender(
                    self.ctx, self.new_name.text(), self.new_phone.text(), self.new_address.text()
                )
                self.new_sender.setChecked(False)  # added: a retry must not add it twice
                self.search.setText(self.new_name.text().strip())
                self.sender.setCurrentIndex(max(self.sender.findData(sender_id), 0))
            else:
                sender_id = self.sender.currentData()
                if sender_id is None:
                    self.message.show_message(
                        Outcome.ERROR, self.tr("Choose the sender of this box.")
                    )
                    return
            box_id = open_box(
                self.ctx,
                self.waybill.waybill_no,
                sender_id=sender_id,
                declared_quantity=self.declared.value(),
            )
        except DomainError as error:
            show_domain_error(self, error, self.message)
            return
        super().accept()
        self.box_opened.emit(box_id)


class CloseBoxDialog(QDialog):
    """Scanned against declared; a difference needs a note (the customer will be contacted)."""

    def __init__(
        self, summary: BoxSummary, close: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closeBoxDialog")
        self._close = close
        self.setWindowTitle(self.tr("Close box {waybill}").format(waybill=summary.waybill_no))
        count = QLabel(
            self.tr("Declared {declared}, scanned {scanned}.").format(
                declared=summary.declared_quantity, scanned=summary.scanned_quantity
            ),
            self,
        )
        count.setObjectName("closeBoxCount")
        count.setStyleSheet("QLabel { font-size: 15px; font-weight: bold; }")
        self.note = QLineEdit(self)
        self.note.setObjectName("differenceNote")
        differs = summary.difference != 0
        self.note.setPlaceholderText(
            self.tr("What differs? (the customer will be contacted)")
            if differs
            else self.tr("Note (optional)")
        )
        self.message = MessageLine(self)
        self.message.setObjectName("closeBoxMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Close box"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(count)
        if differs:
            warning = QLabel(
                self.tr("The count differs from the declared quantity: write what differs."),
                self,
            )
            warning.setStyleSheet("QLabel { color: #8a1010; }")
            layout.addWidget(warning)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self._close(self.note.text())
        except DomainError as error:
            show_domain_error(self, error, self.message)
            return
        super().accept()
