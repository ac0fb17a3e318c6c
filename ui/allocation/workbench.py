"""The technician's bench (维修台) inside the allocation tab: the technician's orders and what is
done to them — start, record fault code → cause → action (with suggestions from past repairs of
the same model), wait for parts, propose a charge, swap the serial, ask for special handling,
mark repaired (→ QC). The charges customer service confirms by phone are in `charges.py`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from ui.widgets.floor_action import run_floor_action
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
        self._suggestions_read = LatestRead(self, self._show_suggestions)
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
        # The fields and buttons: disabled while a save of theirs runs (no second press)
        actions = self.actions = QWidget(self)
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
        """The selected order's suggestions, read on the read worker (past repairs of its model:
        they grow with history); none shown until they come."""
        self.suggestions.clear()
        order_id = self.orders.selected_order_id()
        if order_id is None:
            self._suggestions_read.drop_pending()
            return
        ctx = self._ctx  # the work holds plain data, never this page
        self._suggestions_read.run(lambda: list(bench.suggestions(ctx, order_id)))

    def _show_suggestions(self, found: list[bench.Suggestion]) -> None:
        self.suggestions.clear()
        for suggestion in found:
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

    def _with_order(
        self,
        work: Callable[[int, int], Any],
        shown: Callable[[Any], str],
        cleared: tuple[QLineEdit, ...] = (),
    ) -> None:
        """Save on the floor worker, in line with the scans: ``work(order_id, version)`` holds
        plain data read here first (the selected order, its version as the bench loaded it, the
        fields); the actions wait for it. Done: the fields ``cleared``, the list reloaded, the
        message ``shown``; refused: the message line says why and the fields keep their text."""
        selected = self.orders.selected_order()
        if selected is None:
            self._floor.warn(self.tr("Select an order on the bench first (or scan its label)."))
            return
        order_id, version = selected.id, selected.version

        def done(result: Any) -> None:
            for line in cleared:
                line.clear()
            # The list shows the order as this save left it (its new version) for the next
            # click, without waiting for the change broadcast.
            self.orders.reload()
            self._floor.act(lambda: shown(result))

        run_floor_action(self, lambda: work(order_id, version), done, button=self.actions)

    # Actions: each reads what it needs from the widgets now, the save runs on the floor worker
    def start_repair(self) -> None:
        ctx = self._ctx
        self._with_order(
            lambda order_id, _version: orders.start_repair(ctx, order_id).order_no,
            lambda order_no: self.tr("{order_no}: repair started.").format(order_no=order_no),
        )

    def record_repair(self) -> None:
        ctx, fault_code = self._ctx, self.fault_code.text()
        cause, action = self.cause.text(), self.action.text()

        def work(order_id: int, version: int) -> None:
            bench.record_repair(
                ctx,
                order_id,
                fault_code=fault_code,
                cause=cause,
                action=action,
                expected_version=version,
            )

        self._with_order(
            work,
            lambda _none: self.tr("Repair recorded: {cause} → {action}.").format(
                cause=cause.strip(), action=action.strip()
            ),
        )

    def wait_for_parts(self) -> None:
        ctx, note = self._ctx, self.note.text().strip()
        self._with_order(
            lambda order_id, _version: orders.wait_for_parts(ctx, order_id, note).order_no,
            lambda order_no: self.tr("{order_no} waits for parts.").format(order_no=order_no),
            (self.note,),
        )

    def propose_charge(self) -> None:
        ctx, note = self._ctx, self.note.text()
        parts_text, labour_text = self.parts_yuan.text(), self.labour_yuan.text()

        def work(order_id: int, version: int) -> int:
            parts = to_cents(parts_text or "0")
            labour = to_cents(labour_text or "0")
            orders.propose_charge(
                ctx,
                order_id,
                parts_cents=parts,
                labour_cents=labour,
                reason=note,
                expected_version=version,
            )
            return parts + labour

        self._with_order(
            work,
            lambda total: self.tr(
                "Charge of {amount} proposed: customer service will call."
            ).format(amount=format_yuan(total)),
            (self.parts_yuan, self.labour_yuan, self.note),
        )

    def waive_charge(self) -> None:
        ctx, note = self._ctx, self.note.text()
        self._with_order(
            lambda order_id, version: charges.waive_charge(
                ctx, order_id, reason=note, expected_version=version
            ),
            lambda _none: self.tr("Charge waived: the parts counter may issue the parts."),
            (self.note,),
        )

    def swap(self) -> None:
        ctx, new_serial, note = self._ctx, self.new_serial.text(), self.note.text()
        self._with_order(
            lambda order_id, version: bench.swap_serial(
                ctx, order_id, new_serial, note, expected_version=version
            ),
            lambda serial: self.tr("The order now carries serial {serial}.").format(serial=serial),
            (self.new_serial, self.note),
        )

    def request_special(self) -> None:
        ctx, handling, note = self._ctx, self.handling.currentData(), self.note.text()
        self._with_order(
            lambda order_id, _version: (
                orders.request_special(ctx, order_id, handling, note).order_no
            ),
            lambda order_no: self.tr("{order_no} waits for a supervisor's approval.").format(
                order_no=order_no
            ),
            (self.note,),
        )

    def mark_repaired(self) -> None:
        ctx, cause, action = self._ctx, self.cause.text(), self.action.text()
        self._with_order(
            lambda order_id, version: (
                orders.finish_repair(
                    ctx, order_id, diagnosis=cause, repair_action=action, expected_version=version
                ).order_no
            ),
            lambda order_no: self.tr("{order_no} repaired: on to QC.").format(order_no=order_no),
            (self.fault_code, self.cause, self.action),
        )
