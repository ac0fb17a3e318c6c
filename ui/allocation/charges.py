"""The charges customer service confirms by phone (收费确认), inside the allocation tab: the
charge read out to the customer and their answer, saved over the order's version as listed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.allocation import workbench as bench
from app.context import Context
from app.models import RepairState
from app.money import format_yuan
from app.orders import transitions as orders
from app.orders.listing import OrderFilter, OrderRow
from ui.allocation.queue import Floor
from ui.allocation.workbench import action_button, text_line
from ui.i18n import format_time
from ui.models.orders import ORDER_COLUMNS, OrderPages, OrderTableModel
from ui.models.paged import Column
from ui.ops import LatestRead
from ui.widgets.floor_action import run_floor_action
from ui.widgets.sections import OrderSection


@dataclass(frozen=True)
class ChargeRow(OrderRow):
    """An order waiting for the customer's answer, with what to call and read out."""

    phone: str = ""
    total_cents: int | None = None


CHARGE_COLUMNS: tuple[Column, ...] = (
    *(ORDER_COLUMNS[index] for index in (0, 4)),
    Column(QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.phone),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Amount"),
        lambda r: format_yuan(r.total_cents) if r.total_cents is not None else "",
    ),
    *(ORDER_COLUMNS[index] for index in (3, 2, 6)),
)


@dataclass(frozen=True)
class ChargePages(OrderPages):
    def page(self, offset: int, limit: int, sort_key: str, descending: bool) -> Sequence[OrderRow]:
        rows = super().page(offset, limit, sort_key, descending)
        calls = bench.charges_to_call(self.ctx, [row.id for row in rows])
        return [
            ChargeRow(**asdict(row), phone=calls.get(row.id, (0, ""))[1],
                      total_cents=calls[row.id][0] if row.id in calls else None)
            for row in rows
        ]  # fmt: skip


class ChargeTableModel(OrderTableModel):
    """The orders waiting for a charge's answer, each with its amount and the customer's phone
    (one more query per page)."""

    columns = CHARGE_COLUMNS
    tables = OrderTableModel.tables | {"charges"}

    def reader(self) -> ChargePages:
        return ChargePages(self._ctx, self.where)


class ChargesPage(QWidget):
    """Charges waiting for the customer's answer: customer service calls and records it."""

    def __init__(self, ctx: Context, floor: Floor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chargesPage")
        self._ctx = ctx
        self._floor = floor
        self.charges = OrderSection(
            self.tr("Charges to confirm with the customer"),
            ChargeTableModel(
                ctx,
                OrderFilter(states=frozenset({RepairState.WAITING_CHARGE})),
                clock=ctx.clock,
                sort_key="received_at",
                descending=False,
            ),
            "chargesToConfirmTable",
        )
        self._charge_read = LatestRead(self, self._show_read_charge)
        self.charges.view.selectionModel().selectionChanged.connect(self._show_charge)
        self.charges.model.modelReset.connect(self._show_charge)
        self.detail = QLabel(self)
        self.detail.setObjectName("chargeDetail")
        self.detail.setWordWrap(True)
        self.answered_by = text_line(
            "chargeAnsweredBy", self.tr("Who answered for the customer"), self
        )
        self.accept_button = action_button(
            self.tr("Customer accepted"), "acceptChargeButton", self, lambda: self.answer(True)
        )
        self.refuse_button = action_button(
            self.tr("Customer refused"), "refuseChargeButton", self, lambda: self.answer(False)
        )
        # Who answered and the two answers: disabled while an answer is saved (no second press)
        self.answer_row = QWidget(self)
        row = QHBoxLayout(self.answer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.answered_by, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.refuse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.charges, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.answer_row)
        self._show_charge()

    def sections(self) -> list[OrderSection]:
        return [self.charges]

    def _show_charge(self) -> None:
        """The selected charge's detail, read on the read worker; blank until it comes (never
        the row selected before, read out to the wrong customer)."""
        order_id = self.charges.selected_order_id()
        if order_id is None:
            self._charge_read.drop_pending()
            self.detail.setText(self.tr("Select a charge to read it out to the customer."))
            return
        self.detail.clear()
        ctx = self._ctx  # the work holds plain data, never this page
        self._charge_read.run(lambda: bench.pending_charge(ctx, order_id))

    def _show_read_charge(self, charge: bench.PendingCharge | None) -> None:
        if charge is None:
            self.detail.setText(self.tr("Select a charge to read it out to the customer."))
            return
        self.detail.setText(
            self.tr(
                "Parts {parts} + labour {labour} = {total}. Why: {reason}. "
                "Proposed by {name} at {time}."
            ).format(
                parts=format_yuan(charge.parts_cents),
                labour=format_yuan(charge.labour_cents),
                total=format_yuan(charge.total_cents),
                reason=charge.reason,
                name=charge.proposed_by,
                time=format_time(charge.proposed_at),
            )
        )

    def answer(self, accepted: bool) -> None:
        """The answer saved on the floor worker, in line with the scans (the order, its version
        as listed and who answered read now); both answers wait for it; a refusal keeps the
        name typed."""
        selected = self.charges.selected_order()
        if selected is None:
            self._floor.warn(self.tr("Select a charge first."))
            return
        ctx, customer_name = self._ctx, self.answered_by.text()

        def work() -> str:
            return orders.answer_charge(
                ctx,
                selected.id,
                accepted=accepted,
                customer_name=customer_name,
                expected_version=selected.version,
            ).order_no

        def answered(order_no: str) -> None:
            self.answered_by.clear()
            if accepted:
                text = self.tr("{order_no}: charge accepted, repair goes on.")
            else:
                text = self.tr("{order_no}: charge refused, to return unrepaired.")
            self._floor.act(lambda: text.format(order_no=order_no))

        run_floor_action(self, work, answered, button=self.answer_row)
