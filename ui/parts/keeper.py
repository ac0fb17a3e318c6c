"""The keeper's other moves at the counter: receipts, returns from the bench, scrap, counter
sales, stocktake counts and supplier returns; one small form, one service call each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
from ui.widgets.floor_action import busy, run_floor_action
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
        """Book the move on the floor worker (in line with the tab's scans); the button waits
        for it; the document and reason are cleared once it is booked."""
        if busy(self.apply):
            return
        code, ctx = self.part.text(), self.ctx
        move = _Move(
            self.action.currentData(),
            self.quantity.value(),
            self.stock.currentData(),
            self.document.text(),
            self.reason.text(),
            self._current_order(),
            no_part=self.tr("No part “{code}”.").format(code=code.strip()),
            no_order=self.tr("Scan the order the part was issued to first."),
        )
        move_label = self.action.currentText()

        def booked(result: tuple[str, list[object]]) -> None:
            part_no, unblocked = result
            if move.action == "receipt":
                self.receipt_booked.emit(unblocked)
            self.reported.emit(
                Outcome.OK,
                self.tr("{move}: {part_no} booked.").format(move=move_label, part_no=part_no),
            )
            self.document.clear()
            self.reason.clear()

        run_floor_action(
            self,
            lambda: _book(ctx, code, move),
            booked,
            failed=lambda error: self.reported.emit(Outcome.ERROR, domain_message(error)),
            button=self.apply,
        )


@dataclass(frozen=True)
class _Move:
    """What the form said when the button was pressed (plain data for the floor worker)."""

    action: str
    quantity: int
    stock: StockKind
    document: str
    reason: str
    order_id: int | None
    no_part: str  # the refusals, translated in the UI thread
    no_order: str


def _book(ctx: Context, code: str, move: _Move) -> tuple[str, list[object]]:
    """On the floor worker: the part looked up, then the move booked; its part number and (for
    a receipt) the orders it unblocked."""
    part = parts.part_by_code(ctx, code)
    if part is None:
        raise _Refused(move.no_part)
    quantity, document, reason, stock = move.quantity, move.document, move.reason, move.stock
    unblocked: list[object] = []
    if move.action == "receipt":
        unblocked = list(
            parts.receive_purchase(ctx, part.id, quantity, document_no=document).unblocked
        )
    elif move.action in ("return_unused", "return_faulty"):
        if move.order_id is None:
            raise _Refused(move.no_order)
        if move.action == "return_unused":
            parts_moves.return_unused(ctx, move.order_id, part.id, quantity)
        else:
            parts_moves.return_faulty(ctx, move.order_id, part.id, quantity, reason=reason)
    elif move.action == "scrap":
        parts_moves.scrap(ctx, part.id, quantity, stock=stock, reason=reason)
    elif move.action == "sale":
        parts_moves.sell(ctx, part.id, quantity, document_no=document)
    elif move.action == "count":
        parts_moves.count_stock(ctx, part.id, quantity, reason=reason, stock=stock)
    else:
        parts_moves.supplier_return(ctx, [(part.id, quantity)], document_no=document, reason=reason)
    return part.part_no, unblocked


class _Refused(DomainError):
    def __init__(self, text: str) -> None:
        super().__init__("{text}", text=text)
