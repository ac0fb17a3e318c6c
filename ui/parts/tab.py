"""Parts issue (物料发放): the keeper's counter.

Scan a repair-order label, then part barcodes (one per scan, or the quantity typed first); the
technician receiving them is the order's technician unless a badge is scanned. The checks show at
once: does the part fit the model (a warning the keeper may override with a reason), is the
charge accepted, is there enough on hand (else the order can be put on waiting for parts). The
ledger and the stock update live; the shortage list holds the purchase requests.

The tab is the first a parts keeper's window shows. Its header and scan field are built at once,
the counter's panels and lists in the turns after (ui/parts/counter_parts.py, imported by the
first part); the services behind a scan are imported by the job on the floor worker
(ui/parts/counter_work.py). This module imports only what the first step needs, so the window
shows sooner; a scan typed before the parts are built builds them first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from app.context import Context
from ui.changes import ChangeBridge
from ui.parts.counter_work import issue, look_up, wait_for_part
from ui.widgets.feedback import Outcome
from ui.widgets.floor_tab import FloorTab
from ui.widgets.scan_queue import FloorJob

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPushButton, QTabWidget

    from app.orders.listing import OrderRow
    from app.parts.counter import IssueAttempt
    from app.parts.issuing import IssueCheck
    from app.parts.shortage import WaitRecorded
    from ui.parts.counter import CounterPanel
    from ui.parts.keeper import KeeperActions
    from ui.parts.stock import PartsMasterButtons
    from ui.widgets.sections import OrderSection, TableSection


class PartsTab(FloorTab):
    counter: CounterPanel
    keeper: KeeperActions
    lists: QTabWidget
    stock: TableSection
    master: PartsMasterButtons
    ledger: TableSection
    waiting: OrderSection
    purchases: TableSection
    export_button: QPushButton
    slow_moving: TableSection
    defective: TableSection

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(ctx, changes, object_name="partsTab", parent=parent)
        self.set_header(
            self.tr("Parts issue"),
            self.tr(
                "Scan the repair-order label, then each part (a badge changes who receives them). "
                "Parts at or below their safety stock are shown in red."
            ),
        )
        if self.scan_bar is not None:
            self.scan_bar.field.setPlaceholderText(
                self.tr("Scan an order label, a part barcode or a technician badge, then Enter")
            )
        self.order_id: int | None = None
        self.order_no = ""
        self.technician_id: int | None = None
        self._pending: tuple[int, int] | None = None  # part id, quantity awaiting a decision
        self.build_later(self._build_panels)  # then the lists: one per turn (ui/tab_slot.py)
        self.build_later(self._build_lists)

    def _build_panels(self) -> None:
        from ui.parts.counter_parts import build_panels

        build_panels(self)

    def _build_lists(self) -> None:
        from ui.parts.counter_parts import build_lists

        build_lists(self)

    # Scans: the lookups and the issue on the floor worker, one scan after the other
    def scan_job(self, code: str) -> FloorJob | None:
        code = code.strip()
        if not code:
            return None
        order_id, technician_id, ctx = self.order_id, self.technician_id, self.ctx
        quantity = self.counter.quantity.value()

        return FloorJob(  # on the floor worker: plain data, never this tab
            lambda: look_up(ctx, code, order_id, quantity, technician_id),
            lambda found: self._found(found, code),
        )

    def _found(self, found: tuple[str, Any], code: str) -> None:
        kind, value = found
        if kind == "order":
            order, (technician_id, name) = value
            self._set_order(order, technician_id, name)
        elif kind == "part":
            self.counter.quantity.setValue(1)
            self._issued(*value)
        elif kind == "badge":
            self.technician_id = value.id
            self.counter.technician_label.setText(value.display_name)
            self.report(
                Outcome.OK,
                self.tr("Parts now go to {name}.").format(name=value.display_name),
            )
        else:
            message = self.tr("“{code}” is no order, part or technician badge. Scan again.")
            self.report(Outcome.ERROR, message.format(code=code))

    def _set_order(self, order: OrderRow, technician_id: int | None, name: str | None) -> None:
        self.order_id, self.order_no = order.id, order.order_no
        self._pending = None
        self.counter.set_pending(None)
        self.counter.checks.setText("")
        self.counter.order_label.setText(f"{order.order_no} · {order.model_name}")
        self.technician_id = technician_id
        self.counter.technician_label.setText(name or self.tr("scan a technician badge"))
        from app.parts.views import LedgerFilter

        self.ledger.model.set_filter(LedgerFilter(order_id=order.id))
        self.report(
            Outcome.OK,
            self.tr("Order {order_no}: scan the parts.").format(order_no=order.order_no),
        )

    # Issuing: what stands in the way, or the issue done
    def _issued(self, part_id: int, quantity: int, attempt: IssueAttempt) -> None:
        from app.parts.counter import IssueStep
        from app.vocabulary import label
        from ui.i18n import tr_app

        step, check = attempt.step, attempt.check
        if check is None:
            self.report(Outcome.ERROR, self.tr("Scan the repair-order label first."))
            return
        self.counter.checks.setText(self._check_text(check))
        self._pending = (part_id, quantity)
        if step is IssueStep.NO_CHARGE:
            self.counter.set_pending(None)
            self.report(
                Outcome.ERROR,
                self.tr(
                    "Charge: {charge}. Out of warranty a part leaves only once the customer has "
                    "accepted the charge, or a supervisor has waived it."
                ).format(charge=tr_app(label(check.charge))),
            )
        elif step is IssueStep.NOT_LISTED:
            self.counter.set_pending("fit")
            self.report(
                Outcome.WARNING,
                self.tr(
                    "{part_no} is not listed for this model. Check the part, or give a reason "
                    "and press Issue anyway."
                ).format(part_no=check.part_no),
            )
        elif step is IssueStep.SHORT:
            self.counter.set_pending("wait")
            self.report(
                Outcome.WARNING,
                self.tr(
                    "Only {on_hand} of {part_no} on hand: put the order on waiting for parts."
                ).format(on_hand=check.on_hand, part_no=check.part_no),
            )
        elif step is IssueStep.NO_TECHNICIAN:
            self.report(
                Outcome.ERROR, self.tr("Scan the badge of the technician taking the parts.")
            )
        elif step is IssueStep.TAKEN:  # another counter took the last units meanwhile
            self.counter.set_pending("wait")
            assert attempt.refusal is not None
            self.show_refusal(attempt.refusal)
        else:
            self._pending = None
            self.counter.set_pending(None)
            self.counter.override_reason.clear()
            self.report(
                Outcome.OK,
                self.tr("Issued {quantity} × {part_no} to {technician}; {left} left.").format(
                    quantity=quantity,
                    part_no=check.part_no,
                    technician=self.counter.technician_label.text(),
                    left=check.on_hand - quantity,
                ),
            )

    def _check_text(self, check: IssueCheck) -> str:
        from app.vocabulary import label
        from ui.i18n import tr_app

        yes, no = self.tr("yes"), self.tr("NO")
        return self.tr(
            "{part_no} {name} · fits model: {fits} · charge: {charge} · on hand: {on_hand}"
        ).format(
            part_no=check.part_no,
            name=check.name,
            fits=yes if check.fits_model else no,
            charge=tr_app(label(check.charge)),
            on_hand=check.on_hand,
        )

    def _issue_with_override(self) -> None:
        reason = self.counter.override_reason.text().strip()
        if self._pending is None:
            return
        if not reason:
            self.report(Outcome.ERROR, self.tr("Give the reason to issue a part not listed."))
            return
        part_id, quantity = self._pending
        order_id, technician_id, ctx = self.order_id, self.technician_id, self.ctx
        self.run_floor(
            lambda: issue(ctx, order_id, part_id, quantity, technician_id, reason),
            lambda attempt: self._issued(part_id, quantity, attempt),
        )

    def _record_wait(self) -> None:
        if self._pending is None or self.order_id is None:
            return
        part_id, quantity = self._pending
        order_id, ctx = self.order_id, self.ctx

        def waiting(recorded: WaitRecorded) -> None:
            self._pending = None
            self.counter.set_pending(None)
            self.report(
                Outcome.OK,
                self.tr("{order_no} waits for the part; purchase request for {quantity}.").format(
                    order_no=recorded.order_no, quantity=recorded.quantity_to_order
                ),
            )

        self.run_floor(lambda: wait_for_part(ctx, order_id, part_id, quantity), waiting)

    # After a receipt
    def _show_unblocked(self, unblocked: list) -> None:
        if not unblocked:
            self.counter.unblocked.setText("")
            return
        lines = [
            f"{u.order_no} → {u.technician_name or QCoreApplication.translate('PartsTab', 'unallocated')}"
            for u in unblocked
        ]
        self.counter.unblocked.setText(
            self.tr("Orders unblocked: {orders}").format(orders="; ".join(lines))
        )

    # Export
    def _ask_export_path(self) -> None:
        dialog = QFileDialog(self, self.tr("Export purchase requests"))
        dialog.setObjectName("purchaseExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Excel workbook (*.xlsx)"))
        dialog.selectFile("采购申请.xlsx")
        dialog.fileSelected.connect(self.export_purchase_requests)
        dialog.open()

    def export_purchase_requests(self, path: str) -> None:
        from app.parts import shortage as parts_shortage

        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        parts_shortage.export_purchase_requests(self.ctx, target)
        self.report(Outcome.OK, self.tr("Saved {file}.").format(file=str(target)))
