"""Complaints and follow-up (客诉与回访): register a complaint, watch each one's time left
(overdue red), handle it to settlement and close, preview and print the apology letter, and make
the follow-up calls. A scan adds the order to the complaint being registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.context import Context
from app.localtime import DATE, local_text
from app.permissions import Permission
from ui.changes import ChangeBridge, when_seen
from ui.ops import LatestRead
from ui.widgets.feedback import Outcome
from ui.widgets.floor_tab import FloorTab
from ui.widgets.scan_queue import FloorJob

if TYPE_CHECKING:
    from app.orders.listing import OrderRow
    from ui.complaints.accountability import AccountabilityPanel
    from ui.complaints.care import CarePanel
    from ui.complaints.followups import FollowUpPanel
    from ui.complaints.handling import HandlingPanel
    from ui.complaints.registration import Customers, RegisterForm
    from ui.complaints.table_models import ComplaintRegisterModel
    from ui.headquarters.daily import DailyReportPage
    from ui.widgets.pdf_preview import PdfPreviewDialog
    from ui.widgets.table_view import DataTableView

# Imported by a part of this tab from outside its package: preloaded with it (ui/preload.py)
PRELOAD = ("ui.headquarters.daily",)


def _scrolled(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


Flags = tuple[int | None, list[Any], list[Any], list[Any]]


def _read_flags(ctx: Context) -> Flags:  # on the read worker
    """This month's valid complaints (when over the warning), customers with three problems,
    customers under watch and those of them back with a unit."""
    from app import complaints
    from app.complaints import watchlist

    now = ctx.now()
    return (
        complaints.valid_complaints_warning(ctx, now),
        list(complaints.customers_with_three_problems(ctx, now)),
        list(watchlist.watched_customers(ctx)),
        list(watchlist.new_orders_of_watched(ctx, limit=8)),
    )


class ComplaintsTab(FloorTab):
    model: ComplaintRegisterModel
    table: DataTableView
    form: RegisterForm
    handling: HandlingPanel
    followups: FollowUpPanel
    care: CarePanel
    accountability: AccountabilityPanel
    daily: DailyReportPage

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(ctx, changes, object_name="complaintsTab", parent=parent)
        self.set_header(
            self.tr("Complaints and follow-up"),
            self.tr(
                "Contact the customer within 10 minutes, answer within 24 hours, settle a "
                "major complaint within 3 days; call back within 3 days after settlement."
            ),
        )
        self.letter_dialog: PdfPreviewDialog | None = None
        # What a part built refreshes after a commit (its own lists), added as it is built
        self._refreshers: list[Callable[[frozenset[str]], None]] = []
        # The register first, then the other pages one per turn after the scan field (on first
        # show; ui/tab_slot.py)
        self.build_later(self._build_register)
        self.build_later(self._build_form)
        self.build_later(self._build_handling)
        self.build_later(self._build_follow_up_and_care)
        self.build_later(self._build_accountability)
        if ctx.actor.can(Permission.VIEW_LEDGERS):  # the day's report to headquarters
            self.build_later(self._build_daily_report)
        when_seen(self, changes, self._tables_changed)

    def _build_register(self) -> None:
        from ui.complaints.table_models import ComplaintRegisterModel
        from ui.reprint import reprint_complaints, row_attribute
        from ui.widgets.table_view import DataTableView

        ctx = self.ctx
        self.flags = QLabel(self)
        self.flags.setObjectName("complaintFlags")
        self.flags.setWordWrap(True)
        self.model = ComplaintRegisterModel(ctx, ctx.clock, self)
        self.table = DataTableView(self.model, "complaintsTable", self)
        self.reprinter = reprint_complaints(
            self.table, ctx, self.report, row_attribute(self.model, "complaint_no")
        )
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        register_page = QWidget(self)
        register_layout = QVBoxLayout(register_page)
        register_layout.addWidget(self.flags)
        register_layout.addWidget(self.table, 1)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("complaintPages")
        self.pages.addTab(register_page, self.tr("Register"))
        self.add_widget(self.pages)
        self._flags = LatestRead(self, self._show_flags)
        self.refresh_flags()
        self._refreshers.append(self._register_changed)

    def _build_form(self) -> None:
        from ui.complaints.registration import RegisterForm

        self.form = RegisterForm(self.ctx, self)
        self.form.submit.clicked.connect(lambda: self.guarded(self._register))
        self.pages.addTab(_scrolled(self.form, self), self.tr("New complaint"))

    def _build_handling(self) -> None:
        from ui.complaints.handling import HandlingPanel

        self.handling = HandlingPanel(self.ctx, self.guarded, self)
        self.handling.letter_ready.connect(self.preview_letter)
        self.handling.follow_up_requested.connect(lambda: self.pages.setCurrentIndex(3))
        self.pages.addTab(_scrolled(self.handling, self), self.tr("Handling"))

    def _build_follow_up_and_care(self) -> None:
        from ui.complaints.followups import FollowUpPanel

        self.followups = FollowUpPanel(self.ctx, self.guarded, self)
        self.pages.addTab(self.followups, self.tr("Follow-up calls"))
        self._refreshers.append(self.followups.model.refresh_if_changed)
        self.build_later(self._build_care)  # in the next turn

    def _build_care(self) -> None:
        from ui.complaints.care import CarePanel

        self.care = CarePanel(self.ctx, self.guarded, self)
        self.pages.addTab(self.care, self.tr("Customer care"))
        self._refreshers.append(self.care.refresh_if_changed)

    def _build_accountability(self) -> None:
        from ui.complaints.accountability import AccountabilityPanel

        self.accountability = AccountabilityPanel(self.ctx, self.guarded, self)
        self.pages.addTab(_scrolled(self.accountability, self), self.tr("Accountability"))
        self._refreshers.append(self._accountability_changed)

    def _build_daily_report(self) -> None:
        from ui.headquarters.daily import DailyReportPage

        self.daily = DailyReportPage(self.ctx, network=False, parent=self.pages)
        self.pages.addTab(self.daily, self.tr("Daily report"))

    def _tables_changed(self, tables: frozenset[str]) -> None:
        for refresh in self._refreshers:  # the parts built so far (the others read when built)
            refresh(tables)

    def _register_changed(self, tables: frozenset[str]) -> None:
        self.model.refresh_if_changed(tables)
        if tables & {"complaints", "repair_orders"}:
            self.refresh_flags()

    def _accountability_changed(self, tables: frozenset[str]) -> None:
        self.accountability.model.refresh_if_changed(tables)
        if "staff_members" in tables:
            self.accountability.reload_staff()

    def refresh(self) -> None:
        self.building.finish()
        self.model.refresh()
        self.followups.model.refresh()
        self.care.refresh()
        self.refresh_flags()

    def refresh_flags(self) -> None:
        """The register's warnings, read on the read worker."""
        ctx = self.ctx  # the work holds plain data, never this tab
        self._flags.run(lambda: _read_flags(ctx))

    def _show_flags(self, read: Flags) -> None:
        month, flagged, watched, back = read
        lines = []
        if month is not None:
            lines.append(
                self.tr("Warning: {count} valid complaints this month.").format(count=month)
            )
        if flagged:
            names = "、".join(f"{c.name} ({c.problems})" for c in flagged[:5])
            lines.append(
                self.tr("Three after-sales problems (事不过三): {names}").format(names=names)
            )
        if watched:
            names = "、".join(f"{w.name} ({local_text(w.until, DATE)})" for w in watched[:8])
            lines.append(self.tr("Under watch after a complaint: {names}").format(names=names))
        if back:
            orders = "、".join(f"{c.name} {c.order_no} ({local_text(c.received_at)})" for c in back)
            lines.append(
                self.tr("Watched customers back with a unit: {orders}").format(orders=orders)
            )
        self.flags.setText("\n".join(lines))
        self.flags.setVisible(bool(lines))
        self.flags.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; }")

    def _register(self) -> None:
        """Registered on the floor worker, in line with the scans (the button waits)."""
        from ui.widgets.floor_action import busy, run_floor_action

        if busy(self.form.submit):
            return

        def registered(number: str) -> None:
            self.form.cleared_after(number)
            self.refresh()
            self.report(Outcome.OK, self.tr("Complaint {no} registered.").format(no=number))
            self.pages.setCurrentIndex(0)

        run_floor_action(self, self.form.registration(), registered, button=self.form.submit)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.building.finish()  # the handling and accountability pages show the complaint
        if current.isValid():
            row = self.model.row_object(current.row())
            self.guarded(lambda: self.handling.show_complaint(row.id))
            self.guarded(lambda: self.accountability.show_complaint(row.id, row.complaint_no))

    def scan_job(self, code: str) -> FloorJob:
        """The order looked up on the floor worker (with its customers when the form has none
        yet), added to the complaint being registered."""
        from app.search.lookup import order_by_code  # with the first scan, not the first show
        from ui.complaints.registration import customers_of

        def add(found: tuple[OrderRow | None, Customers | None]) -> None:
            order_no = self.form.add_found(found[0], code, found[1])
            self.pages.setCurrentIndex(1)
            self.report(
                Outcome.OK, self.tr("{order_no} added to the complaint.").format(order_no=order_no)
            )

        ctx, choose = self.ctx, self.form.wants_customer()  # plain data, never this tab

        def look_up() -> tuple[OrderRow | None, Customers | None]:
            order = order_by_code(ctx, code)
            return order, customers_of(ctx, order) if choose else None

        return FloorJob(look_up, add)

    def preview_letter(self, pdf: bytes, title: str) -> None:
        from ui.complaints import letter
        from ui.widgets.pdf_preview import PdfPreviewDialog

        if self.letter_dialog is not None:
            self.letter_dialog.close()
        self.letter_dialog = PdfPreviewDialog(
            pdf, title, self, print_with=letter.print_letter, object_name="apologyLetterPreview"
        )
        self.letter_dialog.resize(560, 760)
        self.letter_dialog.open()
