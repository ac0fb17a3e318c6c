"""Allocation (分配) and the bench (维修台): one tab, a page per kind of work the person may do.

The dispatcher's page holds the queue of received units, the basket filled by scanning labels
(a technician's badge then hands the whole basket over), the workload per technician,
reassignment and the special cases awaiting approval. The bench page holds a technician's
orders and what is done to them; the charges page is customer service's list of charges to
confirm. A person sees only the pages their permissions allow.

The tab is the first a technician's and a dispatcher's window shows. Its header and scan field are
built at once, each page in the turns after; this module imports only what that first step needs:
the pages (and the services behind them) are imported by the part that builds them, the
appearance check's dialog where it is opened, so the window shows sooner. A scan typed before the
pages are built builds them first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

from app.context import Context
from app.errors import DomainError
from app.permissions import Permission
from ui.changes import ChangeBridge, when_seen
from ui.widgets.feedback import Outcome
from ui.widgets.floor_tab import FloorTab
from ui.widgets.scan_queue import FloorJob

if TYPE_CHECKING:
    from ui.allocation.charges import ChargesPage
    from ui.allocation.queue import DispatchPage
    from ui.allocation.workbench import BenchPage
    from ui.receiving.condition import ConditionDialog


class AllocationTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(ctx, changes, object_name="allocationTab", parent=parent)
        self.set_header(
            self.tr("Allocation"),
            self.tr(
                "Scan order labels into the basket, then a technician's badge to hand them all "
                "over. Special handling waits for a supervisor's approval before work starts."
            ),
        )
        self.pages = QTabWidget(self)
        self.pages.setObjectName("allocationPages")
        self.dispatch: DispatchPage | None = None
        self.bench: BenchPage | None = None
        self.charges: ChargesPage | None = None
        self._page_of_tab: list[QWidget] = []
        self.condition_dialog: ConditionDialog | None = None
        self.pages.tabBar().setVisible(False)  # shown once a second page is added
        self.add_widget(self.pages)
        # Each page built in its own turn after the scan field (on first show; ui/tab_slot.py)
        if ctx.actor.can(Permission.ALLOCATE):
            self.build_later(self._build_dispatch)
        if ctx.actor.can(Permission.REPAIR):
            self.build_later(self._build_bench)
        if ctx.actor.can(Permission.CONFIRM_CHARGE):
            self.build_later(self._build_charges)
        when_seen(self, changes, self._refresh_pages)  # the pages built by then

    def _build_dispatch(self) -> None:
        from ui.allocation.queue import DispatchPage

        # The queue now, its benches and approvals in the next turns (each list registered)
        self.dispatch = DispatchPage(
            self.ctx, self, self.pages, later=self.build_later, register=self.sections.append
        )
        self._add_page(self.dispatch, self.tr("Queue and allocation"), registered=True)

    def _build_bench(self) -> None:
        from ui.allocation.workbench import BenchPage

        self.bench = BenchPage(self.ctx, self, self.pages)
        self._add_page(self.bench, self.tr("Bench"))

    def _build_charges(self) -> None:
        from ui.allocation.charges import ChargesPage

        self.charges = ChargesPage(self.ctx, self, self.pages)
        self._add_page(self.charges, self.tr("Charges to confirm"))

    def _add_page(
        self, page: DispatchPage | BenchPage | ChargesPage, title: str, registered: bool = False
    ) -> None:
        if not registered:
            self.sections.extend(page.sections())  # refreshed by FloorTab on changes
        # Scrolled, so that a crowded page never forces the main window to grow.
        scroller = QScrollArea(self.pages)
        scroller.setObjectName(page.objectName() + "Scroller")
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidgetResizable(True)
        scroller.setWidget(page)
        self.pages.addTab(scroller, title)
        self._page_of_tab.append(page)
        self.pages.tabBar().setVisible(self.pages.count() > 1)

    def current_page(self) -> QWidget | None:
        index = self.pages.currentIndex()
        return self._page_of_tab[index] if 0 <= index < len(self._page_of_tab) else None

    def _refresh_pages(self, tables: frozenset[str]) -> None:
        if self.dispatch is not None:
            self.dispatch.refresh_if_changed(tables)
        if self.bench is not None and tables & {"users", "user_roles", "repair_orders"}:
            self.bench.refresh_technicians()

    # What the pages ask of the tab (ui.allocation.queue.Floor)
    def act(self, work: Callable[[], str | None]) -> None:
        def run() -> None:
            text = work()
            if text:
                self.report(Outcome.OK, text)

        self.guarded(run)

    def warn(self, text: str) -> None:
        self.report(Outcome.WARNING, text)
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()

    def refuse(self, text: str) -> None:
        self.report(Outcome.ERROR, text)
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()

    # A unit refused for its pending appearance check: the check is offered right here
    def _refused(self, error: DomainError) -> None:
        from app.receiving.condition import ConditionCheckPending

        super()._refused(error)
        if isinstance(error, ConditionCheckPending) and self.ctx.actor.can(Permission.RECEIVE):
            self.guarded(lambda: self.offer_condition_check(error.order_id))

    def offer_condition_check(self, order_id: int) -> None:
        from app.receiving.condition import condition_form
        from ui.receiving.condition import ConditionDialog

        form = condition_form(self.ctx, order_id)
        self.condition_dialog = ConditionDialog(self.ctx, form, self)

        def recorded(missing: list[str]) -> None:
            if missing:
                self.warn(
                    self.tr("Appearance check of {order_no} saved; still missing: {items}").format(
                        order_no=form.order_no, items="、".join(missing)
                    )
                )
            else:
                self.report(
                    Outcome.OK,
                    self.tr("Appearance check of {order_no} complete: scan it again.").format(
                        order_no=form.order_no
                    ),
                )

        self.condition_dialog.recorded.connect(recorded)
        self.condition_dialog.open()

    # Scans: on the dispatcher's page they fill the basket; elsewhere they select the order
    def scan_job(self, code: str) -> FloorJob | None:
        dispatch = self.dispatch
        if dispatch is not None and self.current_page() is dispatch:
            return dispatch.scan_job(code)
        return super().scan_job(code)
