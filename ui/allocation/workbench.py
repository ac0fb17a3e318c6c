"""The technician's bench (维修台) inside the allocation tab: the technician's orders and what is
done to them — start, record fault code → cause → action (with suggestions from past repairs of
the same model), wait for parts, propose a charge, swap the serial, ask for special handling,
mark repaired (→ QC). The charges customer service confirms by phone are in `charges.py`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.allocation import workbench as bench
from app.allocation.dispatch import TechnicianLoad, workload
from app.context import Context
from app.models import Handling, RepairState
from app.money import format_yuan, to_cents
from app.orders import charges
from app.orders import transitions as orders
from app.orders.listing import OrderFilter
from app.permissions import Permission
from app.vocabulary import label
from ui.allocation.queue import Floor
from ui.allocation.workload import TechnicianPicker
from ui.i18n import tr_app
from ui.models.orders import OrderTableModel
from ui.ops import LatestRead
from ui.widgets.sections import OrderSection
from ui.widgets.shortcuts import routine

BENCH_STATES = frozenset(
    {
        RepairState.ALLOCATED,
        RepairState.IN_REPAIR,
        RepairState.WAITING_PARTS,
        RepairState.WAITING_CHARGE,
    }
)


def action_button(
    text: str, object_name: str, parent: QWidget, slot: Callable[[], None]
) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(object_name)
    button.clicked.connect(slot)
    return button


def text_line(object_name: str, placeholder: str, parent: QWidget) -> QLineEdit:
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

        self.fault_code = text_line("faultCodeInput", self.tr("e.g. P01"), self)
        self.cause = text_line("causeInput", self.tr("What was found"), self)
        self.action = text_line("actionInput", self.tr("What was done"), self)
        self.suggestions = QListWidget(self)
        self.suggestions.setObjectName("repairSuggestions")
        self.suggestions.setMaximumHeight(110)
        self.suggestions.itemActivated.connect(self._use_suggestion)
        self.suggestions.itemClicked.connect(self._use_suggestion)
        self.note = text_line(
            "benchNoteInput", self.tr("Note or reason (parts awaited, charge, swap...)"), self
        )
        self.parts_yuan = text_line("chargePartsInput", self.tr("Parts ¥"), self)
        self.labour_yuan = text_line("chargeLabourInput", self.tr("Labour ¥"), self)
        self.new_serial = text_line("newSerialInput", self.tr("New serial / IMEI"), self)
        self.handling = QComboBox(self)
        self.handling.setObjectName("specialHandlingChoice")
        for handling in (Handling.REFUND, Handling.REFURBISH, Handling.REPLACE):
            self.handling.addItem(tr_app(label(handling)), handling)

        self.start_button = action_button(
            self.tr("Start repair"), "startRepairButton", self, self.start_repair
        )
        self.record_button = action_button(
            self.tr("Record repair"), "recordRepairButton", self, self.record_repair
        )
        self.parts_button = action_button(
            self.tr("Wait for parts"), "waitPartsButton", self, self.wait_for_parts
        )
        self.charge_button = action_button(
            self.tr("Propose charge"), "proposeChargeButton", self, self.propose_charge
        )
        # Out of warranty a supervisor may let the parts go free, with the note as the reason.
        self.waive_button = action_button(
            self.tr("Waive charge"), "waiveChargeButton", self, self.waive_charge
        )
        self.waive_button.setVisible(ctx.actor.can(Permission.APPROVE))
        self.swap_button = action_button(
            self.tr("Swap serial"), "swapSerialButton", self, self.swap
        )
        self.special_button = action_button(
            self.tr("Request special handling"), "requestSpecialButton", self, self.request_special
        )
        self.repaired_button = action_button(
            self.tr("Repaired → QC"), "markRepairedButton", self, self.mark_repaired
        )
        self.special_button.setVisible(ctx.actor.can(Permission.REQUEST_SPECIAL))
        for button, key in (
            (self.start_button, "F2"),
            (self.record_button, "F3"),
            (self.parts_button, "F4"),
            (self.charge_button, "F5"),
            (self.waive_button, "F6"),
            (self.swap_button, "F7"),
            (self.special_button, "F8"),
            (self.repaired_button, "F9"),
        ):
            routine(button, key)
        self._lay_out()
        self._technicians = LatestRead(self, self._show_technicians)
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
        money.addWidget(self.waive_button)
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
        """The technicians to choose from, read on the read worker."""
        if self._ctx.actor.can(Permission.ALLOCATE):
            ctx = self._ctx  # the work holds plain data, never this page
            self._technicians.run(lambda: list(workload(ctx, ctx.now())))

    def _show_technicians(self, loads: list[TechnicianLoad]) -> None:
        self.technician.fill(loads)
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

        def work_and_reload() -> str:
            text = work(order_id)
            # The list shows the order as this save left it (its new version) before the next
            # click, without waiting for the change broadcast.
            self.orders.reload()
            return text

        self._floor.act(work_and_reload)

    def _version(self) -> int:
        """The version of the selected order as the bench loaded it (sent back with an edit)."""
        selected = self.orders.selected_order()
        assert selected is not None  # _with_order checked it
        return selected.version

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
                expected_version=self._version(),
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
                expected_version=self._version(),
            )
            for line in (self.parts_yuan, self.labour_yuan, self.note):
                line.clear()
            return self.tr("Charge of {amount} proposed: customer service will call.").format(
                amount=format_yuan(parts + labour)
            )

        self._with_order(work)

    def waive_charge(self) -> None:
        def work(order_id: int) -> str:
            charges.waive_charge(
                self._ctx, order_id, reason=self.note.text(), expected_version=self._version()
            )
            self.note.clear()
            return self.tr("Charge waived: the parts counter may issue the parts.")

        self._with_order(work)

    def swap(self) -> None:
        def work(order_id: int) -> str:
            serial = bench.swap_serial(
                self._ctx,
                order_id,
                self.new_serial.text(),
                self.note.text(),
                expected_version=self._version(),
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
                self._ctx,
                order_id,
                diagnosis=self.cause.text(),
                repair_action=self.action.text(),
                expected_version=self._version(),
            )
            for line in (self.fault_code, self.cause, self.action):
                line.clear()
            return self.tr("{order_no} repaired: on to QC.").format(order_no=order.order_no)

        self._with_order(work)
