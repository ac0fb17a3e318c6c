"""The keeper's other moves at the counter: receipts, returns from the bench, scrap, counter
sales, stocktake counts and supplier returns; one small form, one service call each."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.models import StockKind
from app.parts import issuing as parts
from app.parts import moves as parts_moves
from app.vocabulary import label
from ui.i18n import domain_message, tr_app
from ui.widgets.feedback import Outcome
from ui.widgets.shortcuts import routine

ACTIONS = (
    ("receipt", QT_TRANSLATE_NOOP("KeeperActions", "Receipt (purchase)")),
    ("return_unused", QT_TRANSLATE_NOOP("KeeperActions", "Unused return (order)")),
    ("return_faulty", QT_TRANSLATE_NOOP("KeeperActions", "Faulty return (order)")),
    ("scrap", QT_TRANSLATE_NOOP("KeeperActions", "Scrap")),
    ("sale", QT_TRANSLATE_NOOP("KeeperActions", "Counter sale")),
    ("count", QT_TRANSLATE_NOOP("KeeperActions", "Stocktake count")),
    ("supplier_return", QT_TRANSLATE_NOOP("KeeperActions", "Supplier return (RMA)")),
)


class KeeperActions(QGroupBox):
    receipt_booked = Signal(object)  # list[UnblockedOrder]
    reported = Signal(object, str)  # Outcome, text

    def __init__(
        self, ctx: Context, current_order: Callable[[], int | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keeperActions")
        self.setTitle(self.tr("Stock moves"))
        self.ctx = ctx
        self._current_order = current_order
        self.action = QComboBox(self)
        self.action.setObjectName("keeperAction")
        for key, text in ACTIONS:
            self.action.addItem(QCoreApplication.translate("KeeperActions", text), key)
        self.part = QLineEdit(self)
        self.part.setObjectName("keeperPartNo")
        self.part.setPlaceholderText(self.tr("Part no."))
        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("keeperQuantity")
        self.quantity.setRange(0, 99999)
        self.quantity.setValue(1)
        self.stock = QComboBox(self)
        self.stock.setObjectName("keeperStock")
        for stock in StockKind:
            self.stock.addItem(tr_app(label(stock)), stock)
        self.document = QLineEdit(self)
        self.document.setObjectName("keeperDocument")
        self.document.setPlaceholderText(self.tr("Document no. (delivery, sales slip, RMA)"))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("keeperReason")
        self.reason.setPlaceholderText(self.tr("Reason"))
        self.apply = QPushButton(self.tr("Book the move"), self)
        self.apply.setObjectName("keeperApply")
        routine(self.apply, "F7")
        form = QFormLayout(self)
        form.addRow(self.tr("Move"), self.action)
        form.addRow(self.tr("Part"), self.part)
        form.addRow(self.tr("Quantity / counted"), self.quantity)
        form.addRow(self.tr("Stock"), self.stock)
        form.addRow(self.tr("Document"), self.document)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.apply)
        self.apply.clicked.connect(self.book)

    def book(self) -> None:
        try:
            text = self._book()
        except DomainError as error:
            self.reported.emit(Outcome.ERROR, domain_message(error))
            return
        self.reported.emit(Outcome.OK, text)
        self.document.clear()
        self.reason.clear()

    def _book(self) -> str:
        part = parts.part_by_code(self.ctx, self.part.text())
        if part is None:
            return self._refuse(self.tr("No part “{code}”.").format(code=self.part.text().strip()))
        action = self.action.currentData()
        quantity = self.quantity.value()
        document, reason = self.document.text(), self.reason.text()
        stock = self.stock.currentData()
        if action == "receipt":
            receipt = parts.receive_purchase(self.ctx, part.id, quantity, document_no=document)
            self.receipt_booked.emit(receipt.unblocked)
        elif action in ("return_unused", "return_faulty"):
            order_id = self._current_order()
            if order_id is None:
                return self._refuse(self.tr("Scan the order the part was issued to first."))
            if action == "return_unused":
                parts_moves.return_unused(self.ctx, order_id, part.id, quantity)
            else:
                parts_moves.return_faulty(self.ctx, order_id, part.id, quantity, reason=reason)
        elif action == "scrap":
            parts_moves.scrap(self.ctx, part.id, quantity, stock=stock, reason=reason)
        elif action == "sale":
            parts_moves.sell(self.ctx, part.id, quantity, document_no=document)
        elif action == "count":
            parts_moves.count_stock(self.ctx, part.id, quantity, reason=reason, stock=stock)
        else:
            parts_moves.supplier_return(
                self.ctx, [(part.id, quantity)], document_no=document, reason=reason
            )
        return self.tr("{move}: {part_no} booked.").format(
            move=self.action.currentText(), part_no=part.part_no
        )

    def _refuse(self, text: str) -> str:
        raise _Refused(text)


class _Refused(DomainError):
    def __init__(self, text: str) -> None:
        super().__init__("{text}", text=text)
