"""The technician's bench (维修台) inside the allocation tab: the technician's orders and what is
done to them — start, record fault code → cause → action (with suggestions from past repairs of
the same model), wait for parts, propose a charge, swap the serial, ask for special handling,
mark repaired (→ QC). And the small list of charges customer service confirms by phone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.allocation import workbench as bench
from app.allocation.dispatch import workload
from app.context import Context
from app.models import Handling, RepairState
from app.money import format_yuan, to_cents
from app.orders import transitions as orders
from app.orders.listing import OrderFilter
from app.permissions import Permission
from app.vocabulary import label
from ui.allocation.queue import Floor
from ui.allocation.workload import TechnicianPicker
from ui.i18n import format_time, tr_app
from ui.models.orders import OrderTableModel
from ui.widgets.sections import OrderSection

BENCH_STATES = frozenset(
    {
        RepairState.ALLOCATED,
        RepairState.IN_REPAIR,
        RepairState.WAITING_PARTS,
        RepairState.WAITING_CHARGE,
    }
)


def _button(text: str, object_name: str, parent: QWidget, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(object_name)
    button.clicked.connect(slot)
    return button


def _line(object_name: str, placeholder: str, parent: QWidget) -> QLineEdit:
    line = QLineEdit(parent)
    line.setObjectName(object_name)
    line.setPlaceholderText(placeholder)
    return line


class BenchPage(QWidget):
    def __init__(self, ctx: Context, floor: Floor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("benchPage")
        self._ctx = ctx
        self._floor = floor
        # A supervisor (or dispatcher) looks at any bench; a technician sees their own.
        self.technician = TechnicianPicker("benchTechnicianChoice", self)
        self.technician.setVisible(ctx.actor.can(Permission.ALLOCATE))
        self.technician.currentIndexChanged.connect(self._technician_changed)
        self.orders = OrderSection(
            self.tr("On my bench"),
            OrderTableModel(
                ctx,
                self._filter_for(ctx.actor.user_id),
                clock=ctx.clock,
                sort_key="due_at",
                descending=False,
            ),
            "benchOrdersTable",
        )
        self.orders.view.selectionModel().selectionChanged.connect(self._order_changed)
        self.orders.model.modelReset.connect(self._order_changed)

        self.fault_code = _line("faultCodeInput", self.tr("e.g. P01"), self)
        self.cause = _line("causeInput", self.tr("What was found"), self)
        self.action = _line("actionInput", self.tr("What was done"), self)
        self.suggestions = QListWidget(self)
        self.suggestions.setObjectName("repairSuggestions")
        self.suggestions.setMaximumHeight(110)
        self.suggestions.itemActivated.connect(self._use_suggestion)
        self.suggestions.itemClicked.connect(self._use_suggestion)
        self.note = _line(
            "benchNoteInput", self.tr("Note or reason (parts awaited, charge, swap...)"), self
        )
        self.parts_yuan = _line("chargePartsInput", self.tr("Parts ¥"), self)
        self.labour_yuan = _line("chargeLabourInput", self.tr("Labour ¥"), self)
        self.new_serial = _line("newSerialInput", self.tr("New serial / IMEI"), self)
        self.handling = QComboBox(self)
        self.handling.setObjectName("specialHandlingChoice")
        for handling in (Handling.REFUND, Handling.REFURBISH, Handling.REPLACE):
            self.handling.addItem(tr_app(label(handling)), handling)

        self.start_button = _button(
            self.tr("Start repair"), "startRepairButton", self, self.start_repair
        )
        self.record_button = _button(
            self.tr("Record repair"), "recordRepairButton", self, self.record_repair
        )
        self.parts_button = _button(
            self.tr("Wait for parts"), "waitPartsButton", self, self.wait_for_parts
        )
        self.charge_button = _button(
            self.tr("Propose charge"), "proposeChargeButton", self, self.propose_charge
        )
        self.swap_button = _button(self.tr("Swap serial"), "swapSerialButton", self, self.swap)
        self.special_button = _button(
            self.tr("Request special handling"), "requestSpecialButton", self, self.request_special
        )
        self.repaired_button = _button(
            self.tr("Repaired → QC"), "markRepairedButton", self, self.mark_repaired
        )
        self.special_button.setVisible(ctx.actor.can(Permission.REQUEST_SPECIAL))
        self._lay_out()
        self.refresh_technicians()

    def _filter_for(self, technician_id: int | None) -> OrderFilter:
        return OrderFilter(states=BENCH_STATES, technician_id=technician_id or -1)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Fault code"), self.fault_code)
        form.addRow(self.tr("Cause"), self.cause)
        form.addRow(self.tr("Action"), self.action)
        form.addRow(self.tr("Past repairs of this model"), self.suggestions)
        form.addRow(self.tr("Note / reason"), self.note)
        money = QHBoxLayout()
        money.addWidget(self.parts_yuan)
        money.addWidget(self.labour_yuan)
        money.addWidget(self.charge_button)
        form.addRow(self.tr("Charge"), money)
        swap = QHBoxLayout()
        swap.addWidget(self.new_serial)
        swap.addWidget(self.swap_button)
        form.addRow(self.tr("Serial swap"), swap)
        special = QHBoxLayout()
        special.addWidget(self.handling)
        special.addWidget(self.special_button)
        form.addRow(self.tr("Special handling"), special)
        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.record_button, 0, 1)
        buttons.addWidget(self.parts_button, 1, 0)
        buttons.addWidget(self.repaired_button, 1, 1)
        actions = QWidget(self)
        actions_layout = QVBoxLayout(actions)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        actions_layout.addLayout(form)
        actions_layout.addLayout(buttons)
        actions_layout.addStretch(1)
        left = QVBoxLayout()
        picker = QHBoxLayout()
        picker.addWidget(self.technician)
        picker.addStretch(1)
        left.addLayout(picker)
        left.addWidget(self.orders, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 3)
        layout.addWidget(actions, 2)

    # Whose bench
    def refresh_technicians(self) -> None:
        if self._ctx.actor.can(Permission.ALLOCATE):
            self.technician.fill(list(workload(self._ctx, self._ctx.now())))
            self._technician_changed()

    def _technician_changed(self) -> None:
        if not self._ctx.actor.can(Permission.ALLOCATE):
            return
        wanted = self._filter_for(self.technician.technician_id())
        if wanted != self.orders.model.where:
            self.orders.model.set_filter(wanted)

    def sections(self) -> list[OrderSection]:
        return [self.orders]

    # The selected order and its suggestions
    def _order_changed(self) -> None:
        self.suggestions.clear()
        order_id = self.orders.selected_order_id()
        if order_id is None:
            return
        for suggestion in bench.suggestions(self._ctx, order_id):
            text = self.tr("{code} {cause} → {action} (×{times})").format(
                code=suggestion.fault_code or "—",
                cause=suggestion.cause,
                action=suggestion.action,
                times=suggestion.times,
            )
            item = QListWidgetItem(text, self.suggestions)
            item.setData(Qt.ItemDataRole.UserRole, suggestion)

    def _use_suggestion(self, item: QListWidgetItem) -> None:
        suggestion: bench.Suggestion = item.data(Qt.ItemDataRole.UserRole)
        self.fault_code.setText(suggestion.fault_code or "")
        self.cause.setText(suggestion.cause)
        self.action.setText(suggestion.action)

    def _with_order(self, work: Callable[[int], str]) -> None:
        order_id = self.orders.selected_order_id()
        if order_id is None:
            self._floor.warn(self.tr("Select an order on the bench first (or scan its label)."))
            return
        self._floor.act(lambda: work(order_id))

    # Actions
    def start_repair(self) -> None:
        def work(order_id: int) -> str:
            order = orders.start_repair(self._ctx, order_id)
            return self.tr("{order_no}: repair started.").format(order_no=order.order_no)

        self._with_order(work)

    def record_repair(self) -> None:
        def work(order_id: int) -> str:
            bench.record_repair(
                self._ctx,
                order_id,
                fault_code=self.fault_code.text(),
                cause=self.cause.text(),
                action=self.action.text(),
            )
            return self.tr("Repair recorded: {cause} → {action}.").format(
                cause=self.cause.text().strip(), action=self.action.text().strip()
            )

        self._with_order(work)

    def wait_for_parts(self) -> None:
        def work(order_id: int) -> str:
            order = orders.wait_for_parts(self._ctx, order_id, self.note.text().strip())
            self.note.clear()
            return self.tr("{order_no} waits for parts.").format(order_no=order.order_no)

        self._with_order(work)

    def propose_charge(self) -> None:
        def work(order_id: int) -> str:
            parts = to_cents(self.parts_yuan.text() or "0")
            labour = to_cents(self.labour_yuan.text() or "0")
            orders.propose_charge(
                self._ctx,
                order_id,
                parts_cents=parts,
                labour_cents=labour,
                reason=self.note.text(),
            )
            for line in (self.parts_yuan, self.labour_yuan, self.note):
                line.clear()
            return self.tr("Charge of {amount} proposed: customer service will call.").format(
                amount=format_yuan(parts + labour)
            )

        self._with_order(work)

    def swap(self) -> None:
        def work(order_id: int) -> str:
            serial = bench.swap_serial(
                self._ctx, order_id, self.new_serial.text(), self.note.text()
            )
            self.new_serial.clear()
            self.note.clear()
            return self.tr("The order now carries serial {serial}.").format(serial=serial)

        self._with_order(work)

    def request_special(self) -> None:
        def work(order_id: int) -> str:
            order = orders.request_special(
                self._ctx, order_id, self.handling.currentData(), self.note.text()
            )
            self.note.clear()
            return self.tr("{order_no} waits for a supervisor's approval.").format(
                order_no=order.order_no
            )

        self._with_order(work)

    def mark_repaired(self) -> None:
        def work(order_id: int) -> str:
            order = orders.finish_repair(
                self._ctx, order_id, diagnosis=self.cause.text(), repair_action=self.action.text()
            )
            for line in (self.fault_code, self.cause, self.action):
                line.clear()
            return self.tr("{order_no} repaired: on to QC.").format(order_no=order.order_no)

        self._with_order(work)


class ChargesPage(QWidget):
    """Charges waiting for the customer's answer: customer service calls and records it."""

    def __init__(self, ctx: Context, floor: Floor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chargesPage")
        self._ctx = ctx
        self._floor = floor
        self.charges = OrderSection(
            self.tr("Charges to confirm with the customer"),
            OrderTableModel(
                ctx,
                OrderFilter(states=frozenset({RepairState.WAITING_CHARGE})),
                clock=ctx.clock,
                sort_key="received_at",
                descending=False,
            ),
            "chargesToConfirmTable",
        )
        self.charges.view.selectionModel().selectionChanged.connect(self._show_charge)
        self.charges.model.modelReset.connect(self._show_charge)
        self.detail = QLabel(self)
        self.detail.setObjectName("chargeDetail")
        self.detail.setWordWrap(True)
        self.answered_by = _line("chargeAnsweredBy", self.tr("Who answered for the customer"), self)
        self.accept_button = _button(
            self.tr("Customer accepted"), "acceptChargeButton", self, lambda: self.answer(True)
        )
        self.refuse_button = _button(
            self.tr("Customer refused"), "refuseChargeButton", self, lambda: self.answer(False)
        )
        row = QHBoxLayout()
        row.addWidget(self.answered_by, 1)
        row.addWidget(self.accept_button)
        row.addWidget(self.refuse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.charges, 1)
        layout.addWidget(self.detail)
        layout.addLayout(row)
        self._show_charge()

    def sections(self) -> list[OrderSection]:
        return [self.charges]

    def _show_charge(self) -> None:
        order_id = self.charges.selected_order_id()
        charge = bench.pending_charge(self._ctx, order_id) if order_id is not None else None
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
        order_id = self.charges.selected_order_id()
        if order_id is None:
            self._floor.warn(self.tr("Select a charge first."))
            return

        def work() -> str:
            order = orders.answer_charge(
                self._ctx, order_id, accepted=accepted, customer_name=self.answered_by.text()
            )
            self.answered_by.clear()
            if accepted:
                return self.tr("{order_no}: charge accepted, repair goes on.").format(
                    order_no=order.order_no
                )
            return self.tr("{order_no}: charge refused, to return unrepaired.").format(
                order_no=order.order_no
            )

        self._floor.act(work)
