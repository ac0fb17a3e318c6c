"""Shipping (发货): units that passed QC, and units going back unrepaired (charge refused).

Scanner first: at an empty packing table the first scanned label starts a shipment for that
unit's customer; each further scan packs a unit (or is refused in red with the reason); a scan
in a carrier's waybill format fills the waybill number. Ship (Ctrl+Enter) marks them all
shipped in one transaction and prints the waybill with its packing list.

The tab is the first a shipping clerk's window shows. Its header and scan field are built at once,
the lists and the packing panel in the turns after (ui/shipping/packing_parts.py, imported by the
first part); the services behind a scan or a button are imported by the job on the worker
(ui/shipping/packing_work.py), a dialog where it is opened. This module imports only what the
first step needs, so the window shows sooner; a scan typed before the parts are built builds them
first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from app.context import Context
from app.errors import Conflict, DomainError
from ui.changes import ChangeBridge, when_seen
from ui.i18n import tr_app
from ui.ops import BackgroundOp, LatestRead, ListRead
from ui.shipping import packing_work as work
from ui.widgets.feedback import Outcome, show_domain_error
from ui.widgets.floor_tab import FloorTab
from ui.widgets.lifetime import tolerant_filter
from ui.widgets.scan_queue import FloorJob

if TYPE_CHECKING:
    from app.documents.roles import DocumentKind
    from app.shipping.shipments import PackedUnit
    from app.shipping.views import ShipmentView
    from ui.reprint import Reprinter
    from ui.shipping.packing_panel import PackingPanel
    from ui.widgets.pdf_preview import PdfPreviewDialog
    from ui.widgets.sections import TableSection


class ShippingTab(FloorTab):
    ready: TableSection
    ledger: TableSection
    panel: PackingPanel
    reprinter: Reprinter

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, changes, object_name="shippingTab", lists_side_by_side=True, parent=parent
        )
        self.set_header(
            self.tr("Shipping"),
            self.tr(
                "Only units that passed QC leave. Scan each unit's label to pack it, scan the "
                "carrier's waybill label, then ship (Ctrl+Enter)."
            ),
        )
        self.shipment: ShipmentView | None = None
        self.preview: PdfPreviewDialog | None = None
        self._busy = False  # a button's save is on the floor worker: the buttons wait
        # The lists, then the packing panel, each in its own turn after the scan field (on first
        # show; ui/tab_slot.py)
        self.build_later(self._build_lists)
        self.build_later(lambda: self._build_panel(changes))

    def _build_lists(self) -> None:
        from ui.shipping.packing_parts import build_lists

        build_lists(self)

    def _build_panel(self, changes: ChangeBridge) -> None:
        from ui.shipping.packing_parts import build_panel

        build_panel(self)
        self._connect_panel()
        when_seen(self, changes, self._on_tables_changed)
        if self.scan_bar is not None:
            self.scan_bar.field.installEventFilter(self)
        self._reload_open_shipments()
        ctx = self.ctx
        self._carriers = LatestRead(self, self.panel.form.set_carriers)
        self._carriers.run(lambda: work.active_carriers(ctx))  # on the read worker

    def _connect_panel(self) -> None:
        panel = self.panel
        panel.open_shipments.activated.connect(self._choose_open_shipment)
        panel.form.waybill.returnPressed.connect(
            lambda: self.scan_bar and self.scan_bar.field.take_focus()
        )
        panel.scan_waybill.toggled.connect(
            lambda _on: self.scan_bar and self.scan_bar.field.take_focus()
        )
        panel.ship_button.clicked.connect(self.ship_current)
        ship_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        ship_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ship_shortcut.activated.connect(self.ship_current)
        panel.print_button.clicked.connect(lambda: self.render_waybill(preview=False))
        panel.preview_button.clicked.connect(lambda: self.render_waybill(preview=True))
        panel.remove_button.clicked.connect(self.remove_selected_unit)
        panel.cancel_button.clicked.connect(self.ask_cancel)

    @tolerant_filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter in the scan field ships (when the shortcut map did not take it first:
        the scanner's plain Enter must stay a scan)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.ship_current()
            return True
        return super().eventFilter(watched, event)

    # The open shipment
    def set_shipment(self, shipment_id: int | None) -> None:
        from app.shipping.views import shipment_view

        self.shipment = shipment_view(self.ctx, shipment_id) if shipment_id is not None else None
        self.panel.form.load(self.shipment)
        self.panel.packing_list.refresh()
        self._update_heading()
        self._select_in_combo()

    def _update_heading(self) -> None:
        self.panel.show_shipment(self.shipment, busy=self._busy)

    def _reload_open_shipments(self) -> None:
        """The open shipments' pick list, read on the read worker."""
        ctx = self.ctx  # the work holds plain data, never this widget
        ListRead(self, lambda: work.open_shipments(ctx)).success(
            lambda shipments: self.panel.set_open_shipments(
                shipments, self.shipment.id if self.shipment else None
            )
        ).run_in_background()

    def _select_in_combo(self) -> None:
        self.panel.select_shipment(self.shipment.id if self.shipment else None)

    def _choose_open_shipment(self, index: int) -> None:
        self.guarded(lambda: self.set_shipment(self.panel.open_shipments.itemData(index)))

    def _on_tables_changed(self, tables: frozenset[str]) -> None:
        from app.models import ShipmentStatus
        from app.shipping.views import shipment_view
        from ui.shipping.lists import SHIPPING_TABLES

        if tables & SHIPPING_TABLES:
            if self.shipment is not None:  # shipped or cancelled at another station?
                current = shipment_view(self.ctx, self.shipment.id)
                if current.status is not ShipmentStatus.PACKING:
                    self.set_shipment(None)
            self._reload_open_shipments()
            self._update_heading()
        if "carriers" in tables:
            ctx = self.ctx  # the work holds plain data, never this tab
            self._carriers.run(lambda: work.active_carriers(ctx))

    # Scans: the packing on the floor worker, one scan after the other
    def scan_job(self, code: str) -> FloorJob:
        """The work of each job holds plain data (the context, the code), never this tab."""
        chosen, ctx = self.panel.form.carrier.currentData(), self.ctx
        if self.panel.scan_waybill.isChecked():
            self.panel.scan_waybill.setChecked(False)
            return FloorJob(
                lambda: work.waybill_carrier(ctx, code, chosen),
                lambda carrier: self._take_waybill(code, carrier),
                self._scan_refused,
            )
        shipment_id = self.shipment.id if self.shipment is not None else None
        return FloorJob(  # on the floor worker
            lambda: work.pack(ctx, shipment_id, code, chosen),
            lambda done: self._scanned(done, code),
            self._scan_refused,
        )

    def _scan_refused(self, error: DomainError) -> None:
        """A refused scan (or waybill print) changed nothing: the reason on the message line, no
        list read again (another station's change reaches the lists by its broadcast)."""
        show_domain_error(self, error, self.scan_bar.message if self.scan_bar else None)
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()

    def _scanned(self, done: tuple[str, Any], code: str) -> None:
        kind, value = done
        if kind == "started":
            self.set_shipment(value.shipment_id)
            self._packed(value.unit)
        elif kind == "packed":
            self._packed(value)
        else:
            self._take_waybill(code, value)

    def _packed(self, unit: PackedUnit) -> None:
        from app.vocabulary import checklist_label

        self.panel.packing_list.refresh()
        self._update_heading()
        accessories = (
            "、".join(tr_app(checklist_label(item)) for item in unit.accessories)
            if unit.accessories
            else self.tr("none")
        )
        self.report(
            Outcome.OK,
            self.tr("{order_no} · {serial} packed. Accessories to put back: {accessories}").format(
                order_no=unit.order_no, serial=unit.serial, accessories=accessories
            ),
        )

    def _take_waybill(self, code: str, carrier: str | None) -> None:
        self.panel.form.set_waybill_number(code, carrier)
        self.report(
            Outcome.OK if carrier else Outcome.WARNING,
            (
                self.tr("Waybill {waybill} ({carrier}). Ship with Ctrl+Enter.")
                if carrier
                else self.tr("Waybill {waybill}: it fits no carrier's format; check the carrier.")
            ).format(
                waybill=self.panel.form.waybill.text(),
                carrier=self.panel.form.carrier.currentText(),
            ),
        )

    # Actions: each saves on the floor worker, in line with the scans; the buttons wait for it
    def _act(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        after: Callable[[], None] = lambda: None,
    ) -> None:
        """``work`` (plain data) on the floor worker, the buttons disabled until it is done; a
        refusal keeps what was typed; a conflict shows what another packing table saved."""
        assert self.shipment is not None
        shipment_id, ctx = self.shipment.id, self.ctx

        def refused(error: DomainError) -> None:
            if self.shipment is not None and self.shipment.id == shipment_id:
                if isinstance(error, Conflict):
                    self.guarded(lambda: self.set_shipment(shipment_id))
                else:  # the waybill may be saved, the shipping refused: its version is now
                    from app.shipping.views import shipment_version

                    version = shipment_version(ctx, shipment_id)  # by primary key
                    self.shipment = replace(self.shipment, version=version)
            self.show_refusal(error)

        def finished() -> None:
            self._busy = False
            self._update_heading()
            after()

        self._busy = True
        self._update_heading()
        self.run_floor(work, done, refused, finished)

    def _waybill_save(self) -> Callable[[], bool]:
        """The waybill form read now (a declared value that is not money is refused here)."""
        from ui.shipping.waybill import waybill_save

        assert self.shipment is not None
        return waybill_save(
            self.ctx, self.shipment.id, self.shipment.version, self.panel.form.values()
        )

    def ship_current(self) -> None:
        if self.shipment is None or self._busy:
            return
        shipment_id, shipment_no, ctx = self.shipment.id, self.shipment.shipment_no, self.ctx

        def shipped(numbers: list[str]) -> None:
            self.set_shipment(None)
            self.report(
                Outcome.OK,
                self.tr("Shipment {shipment_no} shipped: {count} unit(s).").format(
                    shipment_no=shipment_no, count=len(numbers)
                ),
            )
            if self.panel.print_on_ship.isChecked():
                self._render(shipment_id, preview=False)

        def start() -> None:
            save = self._waybill_save()  # the form read now (a declared value may be refused)
            self._act(lambda: (save(), work.ship(ctx, shipment_id))[1], shipped)  # in order

        self.guarded(start)

    def _ledger_documents(self, row: int) -> list[tuple[DocumentKind, str]]:
        """What a shipped unit's row prints again: its waybill, packing list and timeline."""
        from app.documents.roles import DocumentKind

        line = self.ledger.model.row_object(row)
        return [
            (DocumentKind.WAYBILL_LABEL, line.shipment_no),
            (DocumentKind.PACKING_LIST, line.shipment_no),
            (DocumentKind.TIMELINE, line.order_no),
        ]

    def render_waybill(self, *, preview: bool) -> None:
        if self.shipment is None or self._busy:
            return
        shipment_id = self.shipment.id

        def saved(save: bool) -> None:
            if save and self.shipment is not None:  # saved: the version it has now
                self.shipment = replace(self.shipment, version=self.shipment.version + 1)
            self._render(shipment_id, preview=preview)

        self.guarded(lambda: self._act(self._waybill_save(), saved))

    def _render(self, shipment_id: int, *, preview: bool) -> None:
        """Build the PDF off the UI thread, then print or preview it."""
        from ui.shipping import printing as shipping_print

        ctx = self.ctx
        dpi = shipping_print.waybill_dpi()
        BackgroundOp(self, lambda: work.waybill_document(ctx, shipment_id, dpi)).success(
            lambda pdf: self._show_pdf(pdf, preview)
        ).failure(self._scan_refused).with_progress(
            self.tr("Preparing the waybill…")
        ).run_in_background()

    def _show_pdf(self, pdf: bytes, preview: bool) -> None:
        from ui.shipping import printing as shipping_print
        from ui.widgets.pdf_preview import PdfPreviewDialog

        title = self.tr("Waybill")
        if preview:
            if self.preview is not None:
                self.preview.close()
            self.preview = PdfPreviewDialog(pdf, title, self, object_name="waybillPreview")
            self.preview.open()
        elif not shipping_print.print_pdf(pdf, title):
            self.report(
                Outcome.WARNING,
                self.tr("No printer is set up: preview the waybill and print it from there."),
            )

    def remove_selected_unit(self) -> None:
        rows = self.panel.packing.view.selectionModel().selectedRows()
        if self.shipment is None or not rows:
            self.report(
                Outcome.WARNING, self.tr("Select the unit to take out in the packing list.")
            )
            return
        line = self.panel.packing_list.row_object(rows[0].row())
        shipment_id, ctx = self.shipment.id, self.ctx

        def removed(_none: None) -> None:
            self.set_shipment(shipment_id)
            self.report(
                Outcome.OK,
                self.tr("{order_no} taken out of the shipment.").format(order_no=line.order_no),
            )

        if not self._busy:
            self._act(lambda: work.remove_unit(ctx, shipment_id, line.order_no), removed)

    def ask_cancel(self) -> None:
        from ui.shipping.cancel_dialog import CancelShipmentDialog

        if self.shipment is None or self._busy:
            return
        dialog = CancelShipmentDialog(self.shipment.shipment_no, self)
        shipment_id, shipment_no, ctx = self.shipment.id, self.shipment.shipment_no, self.ctx

        def cancelled(_none: None) -> None:
            dialog.accept()
            self.set_shipment(None)
            self.report(
                Outcome.OK,
                self.tr("Shipment {shipment_no} cancelled.").format(shipment_no=shipment_no),
            )

        def cancel() -> None:
            reason = dialog.reason.text()
            dialog.ok_button.setEnabled(False)  # pressed once; open again after a refusal
            self._act(
                lambda: work.cancel(ctx, shipment_id, reason),
                cancelled,
                lambda: dialog.ok_button.setEnabled(True),
            )

        dialog.confirmed.connect(cancel)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
