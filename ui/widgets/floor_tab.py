"""What every floor tab has: a header, the scan field with its message line, and its lists.

A tab module builds one ``FloorTab`` and adds its sections; a scan looks the order up (order
number or serial) and selects it in the first list that holds it. A tab with its own workflow
(receive, allocate, issue, sign off, ship) overrides ``scan_job``: the lookups and the save of a
scan run on the station's floor worker, one scan after the other (``ui.widgets.scan_queue``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.context import Context
from app.errors import Conflict, DomainError
from ui.changes import ChangeBridge, when_seen
from ui.i18n import state_label
from ui.print_queue import waiting_count
from ui.widgets.build_steps import BuildSteps
from ui.widgets.feedback import Outcome, show_domain_error
from ui.widgets.scan_field import ScanBar
from ui.widgets.scan_guard import ScanGuard
from ui.widgets.scan_queue import FloorJob, ScanQueue
from ui.widgets.sections import OrderSection, TableSection

if TYPE_CHECKING:
    from app.orders.listing import OrderRow


class TabHeader(QWidget):
    def __init__(self, title: str, subtitle: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tabHeader")
        self.title = QLabel(title, self)
        self.title.setObjectName("tabTitle")
        self.title.setStyleSheet("QLabel { font-size: 20px; font-weight: bold; color: #1f5f8b; }")
        self.subtitle = QLabel(subtitle, self)
        self.subtitle.setObjectName("tabSubtitle")
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("QLabel { color: #555; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)


class FloorTab(QWidget):
    def __init__(
        self,
        ctx: Context,
        changes: ChangeBridge,
        *,
        object_name: str,
        with_scan: bool = True,
        lists_side_by_side: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.ctx = ctx
        self.sections: list[TableSection] = []
        self.header = TabHeader("", "", self)
        self.scan_bar: ScanBar | None = ScanBar(parent=self) if with_scan else None
        self.scans = ScanQueue(self, self)
        self.building = BuildSteps(self)  # the parts built after the scan field (build_later)
        orientation = Qt.Orientation.Horizontal if lists_side_by_side else Qt.Orientation.Vertical
        self.splitter = QSplitter(orientation, self)
        self.splitter.setObjectName(object_name + "Splitter")
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        if self.scan_bar is not None:
            layout.addWidget(self.scan_bar)
            self.scan_bar.field.scanned.connect(self.handle_scan)
        layout.addWidget(self.splitter, 1)
        when_seen(self, changes, self._refresh_sections)
        ScanGuard.install()  # a scan into one of the tab's dialogs is not the dialog's input

    def set_header(self, title: str, subtitle: str) -> None:
        self.header.title.setText(title)
        self.header.subtitle.setText(subtitle)

    def build_later(self, part: Callable[[], None]) -> None:
        """Build ``part`` in a later turn of the event loop when the tab is built stepwise (its
        first show, ui/widgets/build_steps.py), else now."""
        self.building.add(part)

    def add_section(self, section: TableSection, stretch: int = 1) -> TableSection:
        self.sections.append(section)
        self.splitter.addWidget(section)
        self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        return section

    def add_widget(self, widget: QWidget, stretch: int = 1) -> None:
        self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)

    def _refresh_sections(self, tables: frozenset[str]) -> None:
        for section in self.sections:
            section.refresh_if_changed(tables)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()

    # Scans
    def report(self, outcome: Outcome, text: str) -> None:
        """The message line; never green while labels or documents wait to be printed."""
        waiting = waiting_count(self.ctx)
        if outcome is Outcome.OK and waiting:
            outcome = Outcome.WARNING
            text += "  " + QCoreApplication.translate(
                "FloorTab", "({count} waiting to print)"
            ).format(count=waiting)
        if self.scan_bar is not None:
            self.scan_bar.message.show_message(outcome, text)

    def guarded(self, action: Callable[[], None]) -> None:
        """Run a floor action; a refusal of the rules is shown on the message line."""
        try:
            action()
        except DomainError as error:
            self._refused(error)
        finally:
            if self.scan_bar is not None:
                self.scan_bar.field.take_focus()

    def show_refusal(self, error: DomainError) -> None:
        self._refused(error)
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()

    def _refused(self, error: DomainError) -> None:
        show_domain_error(self, error, self.scan_bar.message if self.scan_bar else None)
        if isinstance(error, Conflict):  # another station changed it: show what is now true
            for section in self.sections:
                section.reload()

    def handle_scan(self, code: str) -> None:
        """A scanned code: queued behind the scans and floor actions still running (the parts of
        the tab not built yet are built first)."""
        self.building.finish()
        self.scans.push(code)

    def run_floor(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[DomainError], None] | None = None,
        always: Callable[[], None] | None = None,
    ) -> None:
        """A floor action (a button's save): ``work`` on the floor worker, in line with the
        scans; ``done`` with its result in the UI thread; a refusal on the message line (or
        ``failed``); ``always`` after either (the button that asked enabled again)."""
        self.building.finish()
        self.scans.push_job(FloorJob(work, done, failed, always))

    def scan_job(self, code: str) -> FloorJob | None:
        """What a scan does on this tab (default: look the order up and select it)."""
        from app.search.lookup import order_by_code  # with the first scan, not the first tab

        return FloorJob(
            lambda: order_by_code(self.ctx, code), lambda order: self.show_order(order, code)
        )

    def show_order(self, order: OrderRow | None, code: str) -> None:
        if order is None:
            message = QCoreApplication.translate(
                "FloorTab", "No repair order or serial “{code}”. Scan the label again."
            )
            self.report(Outcome.ERROR, message.format(code=code.strip()))
            return
        summary = QCoreApplication.translate(
            "FloorTab", "{order_no} · {serial} · {model} — {state}"
        ).format(
            order_no=order.order_no,
            serial=order.serial,
            model=order.model_name,
            state=state_label(order.state),
        )
        for section in self.sections:
            if isinstance(section, OrderSection) and section.select_order(order.id):
                self.report(Outcome.OK, summary)
                return
        elsewhere = QCoreApplication.translate(
            "FloorTab", "{summary}: not in the lists of this tab."
        )
        self.report(Outcome.WARNING, elsewhere.format(summary=summary))
