"""Headquarters' transfer of parts between two centers (调拨): the part number, the sending and the
receiving center, how many; saved by ``app.parts.transfer.transfer_parts`` off the UI thread."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app import values
from app.context import Context
from app.errors import DomainError
from app.headquarters.stock import CenterChoice
from app.parts.transfer import Transfer, transfer_parts
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error


class TransferDialog(QDialog):
    def __init__(
        self,
        ctx: Context,
        centers: list[CenterChoice],
        *,
        part_no: str = "",
        sender: int | None = None,
        receiver: int | None = None,
        quantity: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hqTransferDialog")
        self.setWindowTitle(self.tr("Transfer parts between centers"))
        self.ctx = ctx
        self.done_transfer: Transfer | None = None
        self.part_no = QLineEdit(part_no, self)
        self.part_no.setObjectName("hqTransferPart")
        self.sender = self._centers(centers, sender, "hqTransferFrom")
        self.receiver = self._centers(centers, receiver, "hqTransferTo")
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("hqTransferQuantity")
        self.quantity.setRange(1, values.MAX_COUNT)
        self.quantity.setValue(max(1, quantity))
        self.note = QLineEdit(self)
        self.note.setObjectName("hqTransferNote")
        self.note.setMaxLength(255)
        form = QFormLayout(self)
        form.addRow(self.tr("Part number"), self.part_no)
        form.addRow(self.tr("From center"), self.sender)
        form.addRow(self.tr("To center"), self.receiver)
        form.addRow(self.tr("Quantity"), self.quantity)
        form.addRow(self.tr("Note"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _centers(self, centers: list[CenterChoice], chosen: int | None, name: str) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        for center in centers:
            box.addItem(f"{center.code} {center.name}", center.center_id)
        if chosen is not None:
            box.setCurrentIndex(max(0, box.findData(chosen)))
        return box

    def save(self) -> None:
        """Transfer off the UI thread (two centers' rows, one transaction); refused: say why."""
        asked = (
            self.part_no.text(),
            int(self.sender.currentData()),
            int(self.receiver.currentData()),
            self.quantity.value(),
            self.note.text(),
        )
        self.buttons.setEnabled(False)
        BackgroundOp(
            self,
            lambda: transfer_parts(self.ctx, *asked[:4], note=asked[4]),
        ).success(self._done).failure(self._refused).run_in_background()

    def _done(self, transfer: Transfer) -> None:
        self.done_transfer = transfer
        self.accept()

    def _refused(self, error: DomainError) -> None:
        self.buttons.setEnabled(True)
        show_domain_error(self, error)
