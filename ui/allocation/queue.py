"""The dispatcher's page of the allocation tab: the queue with its filters, the basket of scanned
orders, the workload per technician, reassignment and the special cases awaiting approval."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.allocation import dispatch as allocation
from app.allocation.dispatch import QueueItem
from app.context import Context
from app.models import RepairState
from app.orders import transitions as orders
from app.orders.listing import OrderFilter
from app.permissions import Permission
from ui.allocation.basket import Basket
from ui.allocation.queue_filters import QUEUE, QueueFilters
from ui.allocation.workload import TechnicianPicker, WorkloadPanel
from ui.models.orders import OrderTableModel
from ui.ops import LatestRead
from ui.widgets.scan_queue import FloorJob
from ui.widgets.sections import OrderSection
from ui.widgets.shortcuts import routine

ON_BENCH = frozenset(allocation.REASSIGNABLE)


class Floor(Protocol):
    """What a page asks of its tab: run an action and say the outcome on the message line."""

    def act(self, work: Callable[[], str | None]) -> None: ...

    def run_floor(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None: ...

    def warn(self, text: str) -> None: ...

    def refuse(self, text: str) -> None: ...


ROWS_IN_SIGHT = 4  # of the benches' and the approvals' lists, at least


def _keep_rows_in_sight(section: OrderSection) -> None:
    view = section.view
    view.setMinimumHeight(
        view.horizontalHeader().sizeHint().height()
        + ROWS_IN_SIGHT * view.verticalHeader().defaultSectionSize()
        + view.horizontalScrollBar().sizeHint().height()
        + 2 * view.frameWidth()
    )


def multi_select(section: OrderSection) -> None:
    section.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)


def selected_ids(section: OrderSection) -> list[int]:
    rows = sorted(index.row() for index in section.view.selectionModel().selectedRows())
    return [section.model.order_at(row).id for row in rows]


class DispatchPage(QWidget):
    """Built in three parts when its tab is built stepwise (ui/widgets/build_steps.py): the
    queue with the basket and the workload at once, then the benches, then the approvals, each
    in its own turn (``later``); each list is handed to ``register`` (the tab refreshes it)."""

    def __init__(
        self,
        ctx: Context,
        floor: Floor,
        parent: QWidget | None = None,
        later: Callable[[Callable[[], None]], None] | None = None,
        register: Callable[[OrderSection], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchPage")
        self._ctx = ctx
        self._floor = floor
        self._sections: list[OrderSection] = []
        self._register = register or (lambda _section: None)
        self.queue = self._section(
            self.tr("Waiting for allocation"),
            OrderFilter(states=QUEUE),
            "due_at",
            "allocationQueueTable",
        )
        multi_select(self.queue)
        self.filters = QueueFilters(ctx, self.queue.model, self)
        self.technician = TechnicianPicker("allocateTechnicianChoice", self)
        self.allocate_button = QPushButton(self.tr("Allocate to technician"), self)
        self.allocate_button.setObjectName("allocateButton")
        self.allocate_button.setToolTip(
            self.tr("Allocates the selected rows, or the basket when no row is selected.")
        )
        self.allocate_button.clicked.connect(self.allocate_with_mouse)
        routine(self.allocate_button, "F5")
        self.basket = Basket(self)
        self.workload = WorkloadPanel(self)
        # The benches' and the approvals' pickers are filled with the workload: made now
        self.reassign_to = TechnicianPicker("reassignTechnicianChoice", self)
        self._whole = QSplitter(Qt.Orientation.Vertical, self)
        self._whole.setChildrenCollapsible(False)
        self._bottom = QSplitter(Qt.Orientation.Horizontal, self)
        self._bottom.setChildrenCollapsible(False)
        self._lay_out_top()
        (later or (lambda part: part()))(self._build_benches)
        (later or (lambda part: part()))(self._build_approvals)
        self._workload = LatestRead(self, self._show_workload)
        self.refresh_workload()

    def sections(self) -> list[OrderSection]:
        """The lists built so far (all of them once the page is whole)."""
        return list(self._sections)

    def _section(
        self, title: str, states: OrderFilter, sort_key: str, object_name: str
    ) -> OrderSection:
        section = OrderSection(
            title,
            OrderTableModel(
                self._ctx, states, clock=self._ctx.clock, sort_key=sort_key, descending=False
            ),
            object_name,
        )
        self._sections.append(section)
        self._register(section)
        return section

    def _lay_out_top(self) -> None:
        queue_box = QWidget(self)
        queue_layout = QVBoxLayout(queue_box)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addWidget(self.filters)
        queue_layout.addWidget(self.queue, 1)
        allocate_row = QHBoxLayout()
        allocate_row.addWidget(QLabel(self.tr("Technician:"), self))
        allocate_row.addWidget(self.technician)
        allocate_row.addWidget(self.allocate_button)
        allocate_row.addStretch(1)
        queue_layout.addLayout(allocate_row)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.basket, 1)
        workload_heading = QLabel(self.tr("Workload per technician"), self)
        workload_heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        side_layout.addWidget(workload_heading)
        side_layout.addWidget(self.workload, 2)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.setChildrenCollapsible(False)
        top.addWidget(queue_box)
        top.addWidget(side)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 1)

        self._whole.addWidget(top)
        self._whole.addWidget(self._bottom)
        # The benches and the approvals get as much height as the queue: at 1366×768 each
        # list shows at least ROWS_IN_SIGHT rows (not one and a half).
        self._whole.setStretchFactor(0, 1)
        self._whole.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._whole)

    def _build_benches(self) -> None:
        self.on_bench = self._section(
            self.tr("On the benches"), OrderFilter(states=ON_BENCH), "due_at", "onBenchTable"
        )
        multi_select(self.on_bench)
        self.reassign_reason = QLineEdit(self)
        self.reassign_reason.setObjectName("reassignReason")
        self.reassign_reason.setPlaceholderText(self.tr("Reason for the reassignment"))
        self.reassign_button = QPushButton(self.tr("Reassign"), self)
        self.reassign_button.setObjectName("reassignButton")
        self.reassign_button.clicked.connect(self.reassign)
        routine(self.reassign_button, "F6")
        bench_box = QWidget(self)
        bench_layout = QVBoxLayout(bench_box)
        bench_layout.setContentsMargins(0, 0, 0, 0)
        bench_layout.addWidget(self.on_bench, 1)
        reassign_row = QHBoxLayout()
        reassign_row.addWidget(QLabel(self.tr("Reassign to:"), self))
        reassign_row.addWidget(self.reassign_to)
        reassign_row.addWidget(self.reassign_reason, 1)
        reassign_row.addWidget(self.reassign_button)
        bench_layout.addLayout(reassign_row)
        _keep_rows_in_sight(self.on_bench)
        self._bottom.insertWidget(0, bench_box)

    def _build_approvals(self) -> None:
        special_pending = OrderFilter(states=frozenset({RepairState.SPECIAL_PENDING}))
        self.special = self._section(
            self.tr("Awaiting supervisor approval"),
            special_pending,
            "received_at",
            "specialPendingTable",
        )
        self.approve_button = QPushButton(self.tr("Approve"), self)
        self.approve_button.setObjectName("approveSpecialButton")
        self.approve_button.clicked.connect(self.approve)
        self.reject_reason = QLineEdit(self)
        self.reject_reason.setObjectName("rejectSpecialReason")
        self.reject_reason.setPlaceholderText(self.tr("Reason for rejecting"))
        self.reject_button = QPushButton(self.tr("Reject"), self)
        self.reject_button.setObjectName("rejectSpecialButton")
        self.reject_button.clicked.connect(self.reject)
        may_approve = self._ctx.actor.can(Permission.APPROVE)
        for widget in (self.approve_button, self.reject_reason, self.reject_button):
            widget.setVisible(may_approve)
        routine(self.approve_button, "F7")
        routine(self.reject_button, "F8")
        special_box = QWidget(self)
        special_layout = QGridLayout(special_box)
        special_layout.setContentsMargins(0, 0, 0, 0)
        special_layout.addWidget(self.special, 0, 0, 1, 3)
        special_layout.addWidget(self.approve_button, 1, 0)
        special_layout.addWidget(self.reject_reason, 1, 1)
        special_layout.addWidget(self.reject_button, 1, 2)
        _keep_rows_in_sight(self.special)
        self._bottom.addWidget(special_box)

    # Refreshing
    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        if tables & {"repair_orders", "users", "user_roles", "allocations"}:
            self.refresh_workload()

    def refresh_workload(self) -> None:
        """The technicians' workload, read on the read worker."""
        ctx = self._ctx  # the work holds plain data, never this page
        self._workload.run(lambda: list(allocation.workload(ctx, ctx.now())))

    def _show_workload(self, loads: list[allocation.TechnicianLoad]) -> None:
        self.workload.show_loads(loads)
        self.technician.fill(loads)
        self.reassign_to.fill(loads)

    # Scans: order labels fill the basket, a badge empties it onto that technician
    def scan_job(self, code: str) -> FloorJob:
        """A badge allocates the basket, a label adds its order (looked up and allocated on the
        floor worker); the message for the floor; refusals are raised as domain errors."""
        ids, ctx = self.basket.ids(), self._ctx  # the work holds plain data, never this page

        def take() -> QueueItem | tuple[str, list[str] | None]:  # on the floor worker
            found = allocation.badge_or_label(ctx, code)
            if isinstance(found, QueueItem):
                return found
            numbers = orders.allocate(ctx, ids, found.id) if ids else None
            return (found.display_name, numbers)

        return FloorJob(take, lambda taken: self._floor.act(lambda: self._took(taken)))

    def _took(self, taken: QueueItem | tuple[str, list[str] | None]) -> str | None:
        if isinstance(taken, tuple):
            name, numbers = taken
            if numbers is None:  # a refusal: nothing was allocated
                self._floor.refuse(
                    self.tr("{name}: scan order labels first, then the badge.").format(name=name)
                )
                return None
            self.basket.clear()
            return self.tr("{count} allocated to {name}: {orders}").format(
                count=len(numbers), name=name, orders=", ".join(numbers)
            )
        if not self.basket.add(taken):
            return self.tr("{order_no} is already in the basket ({count}).").format(
                order_no=taken.order_no, count=len(self.basket.items)
            )
        self.queue.select_order(taken.id)
        return self.tr("{order_no} added: {count} to allocate. Scan a technician's badge.").format(
            order_no=taken.order_no, count=len(self.basket.items)
        )

    # Mouse: each button's save runs on the floor worker, in line with the scans (a refusal goes
    # to the message line); what it needs from the widgets is read here first.
    def _save(self, work: Callable[[], Any], shown: Callable[[Any], str]) -> None:
        self._floor.run_floor(work, lambda result: self._floor.act(lambda: shown(result)))

    def allocate_with_mouse(self) -> None:
        technician_id = self.technician.technician_id()
        ids = selected_ids(self.queue) or self.basket.ids()
        if technician_id is None or not ids:
            self._floor.warn(self.tr("Select or scan orders and choose a technician first."))
            return
        name, ctx = self.technician.currentText(), self._ctx

        def allocated(numbers: list[str]) -> str:
            self.basket.clear()
            return self.tr("{count} allocated to {name}: {orders}").format(
                count=len(numbers), name=name, orders=", ".join(numbers)
            )

        self._save(lambda: orders.allocate(ctx, ids, technician_id), allocated)

    def reassign(self) -> None:
        technician_id = self.reassign_to.technician_id()
        ids = selected_ids(self.on_bench)
        if technician_id is None or not ids:
            self._floor.warn(self.tr("Select orders on the benches and choose a technician first."))
            return
        name, reason, ctx = self.reassign_to.currentText(), self.reassign_reason.text(), self._ctx

        def reassigned(numbers: list[str]) -> str:
            self.reassign_reason.clear()
            return self.tr("Reassigned to {name}: {orders}").format(
                name=name, orders=", ".join(numbers)
            )

        self._save(lambda: allocation.reassign(ctx, ids, technician_id, reason), reassigned)

    def approve(self) -> None:
        order_id = self.special.selected_order_id()
        if order_id is None:
            self._floor.warn(self.tr("Select an order awaiting approval first."))
            return
        ctx = self._ctx
        self._save(
            lambda: orders.approve_special(ctx, order_id).order_no,
            lambda order_no: self.tr("{order_no} approved.").format(order_no=order_no),
        )

    def reject(self) -> None:
        order_id = self.special.selected_order_id()
        if order_id is None:
            self._floor.warn(self.tr("Select an order awaiting approval first."))
            return
        reason, ctx = self.reject_reason.text(), self._ctx

        def rejected(order_no: str) -> str:
            self.reject_reason.clear()
            return self.tr("{order_no}: special handling rejected, back to repair.").format(
                order_no=order_no
            )

        self._save(lambda: orders.reject_special(ctx, order_id, reason).order_no, rejected)
