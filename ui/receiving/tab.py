"""Receiving (收货): scanner first. With no box open a scan is the inbound waybill (pick the sender
and the declared quantity, Enter opens the box); with a box open each scanned serial / IMEI is a
repair order at once, answered in colour with its warranty; F10 (or Ctrl+Enter) closes the box
against the declared count and previews the receiving slip.

The tab is the first a clerk's and an admin's window shows. Like every floor tab it is built in
steps (ui/widgets/build_steps.py): its header and scan field at once, the desk (the box panel,
the intake form, the lists: ui/receiving/desk_parts.py) in the turns after. This module imports
only what the first step needs; the desk's panels, dialogs and the services behind them (the
order tables mapped, the receiving rules) are imported by the part that builds them or the action
that opens them, so the window shows and takes a scan sooner. A scan typed before the desk is
built builds it first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from app import formats
from app.context import Context
from app.errors import DomainError
from ui.changes import ChangeBridge, when_seen
from ui.ops import LatestRead
from ui.receiving.desk_work import (
    Boxes,
    Saved,
    look_up,
    read_box,
    read_boxes,
    read_model_choices,
    receive,
)
from ui.widgets.feedback import Outcome, show_domain_error
from ui.widgets.floor_tab import FloorTab
from ui.widgets.scan_queue import FloorJob

if TYPE_CHECKING:
    from app.orders.listing import OrderRow
    from app.receiving import BoxSummary
    from app.receiving.desk import BoxDefaults, UnitDetails, WaybillCheck
    from app.receiving.intake import ModelDisagreement
    from ui.receiving.box_panel import BoxPanel
    from ui.receiving.desk_documents import DeskDocuments
    from ui.receiving.intake import IntakePanel
    from ui.receiving.register_import import RegisterImport
    from ui.receiving.unit_history import UnitHistory
    from ui.widgets.sections import OrderSection, TableSection


class ReceivingTab(FloorTab):
    documents: DeskDocuments
    register_import: RegisterImport
    box_panel: BoxPanel
    units: TableSection
    recent: OrderSection
    intake: IntakePanel
    unit_history: UnitHistory

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, changes, object_name="receivingTab", lists_side_by_side=True, parent=parent
        )
        self.set_header(
            self.tr("Receiving"),
            self.tr(
                "Scan the box's waybill to open it, then scan each unit's serial / IMEI and stick "
                "its label on it. Close the box with F10."
            ),
        )
        self.box: BoxSummary | None = None
        self.remember_box: Callable[[], None] = lambda: None  # ui/receiving/station_box.py
        self.last_order_id: int | None = None
        self.dialog: QDialog | None = None  # the desk's open dialog (one at a time)
        # The desk, one part per turn: the box and its units, the intake form, then the week's
        # receipts with what works on both lists, and the desk's first reads.
        self.build_later(self._build_box_part)
        self.build_later(self._build_intake_part)
        self.build_later(lambda: self._build_recent_part(changes))

    def _build_box_part(self) -> None:
        from ui.receiving.desk_parts import build_box

        build_box(self)

    def _build_intake_part(self) -> None:
        from ui.receiving.desk_parts import build_intake

        build_intake(self)

    def _build_recent_part(self, changes: ChangeBridge) -> None:
        """The week's receipts and what works on both lists, then the desk's first reads."""
        from ui.receiving import station_box
        from ui.receiving.desk_parts import build_recent

        build_recent(self)
        for key in ("F10", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.ask_close_box)
        when_seen(self, changes, self._on_tables_changed)
        ctx = self.ctx
        self._models = LatestRead(self, self.intake.set_models)
        self._boxes: LatestRead[Boxes] = LatestRead(self, self._show_boxes)
        self._models.run(lambda: read_model_choices(ctx))  # the intake's models, off the UI thread
        self._reload_open_boxes()
        self.set_box(None)
        station_box.attach(self)  # the station's box resumed, if still open

    def scan_field_focus(self) -> None:
        if self.scan_bar is not None:
            self.scan_bar.field.take_focus()

    def _show_dialog(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_done())
        dialog.open()

    def _dialog_done(self) -> None:
        """Back to the scanner: the tab's window active again, the scan field focused."""
        self.window().activateWindow()
        self.scan_field_focus()

    # The open box
    def set_box(self, box_id: int | None) -> None:
        self._show_box(*read_box(self.ctx, box_id))

    def _show_box(self, box: BoxSummary | None, defaults: BoxDefaults | None) -> None:
        """The desk's box as read (None: none open), its units read again."""
        self.box = None if box is None or box.closed_at is not None else box
        self.units.model.refresh()  # type: ignore[attr-defined]
        if self.box is not None and defaults is not None:
            self.intake.apply_defaults(defaults)
        self._update_heading()
        self.box_panel.select_box(None if self.box is None else self.box.id)
        self.remember_box()

    def _update_heading(self) -> None:
        self.box_panel.show_box(self.box, len(self.documents.pending_labels))

    def _reload_open_boxes(self) -> None:
        """The desk's box and the open boxes, read on the read worker."""
        ctx, box_id = self.ctx, None if self.box is None else self.box.id
        self._boxes.run(lambda: read_boxes(ctx, box_id))

    def _show_boxes(self, read: Boxes) -> None:
        current, boxes = read
        if self.box is not None and current is not None and current.id == self.box.id:
            self.box = None if current.closed_at is not None else current
            if self.box is None:
                self.units.model.refresh()  # type: ignore[attr-defined]
        self.box_panel.set_open_boxes(boxes, self.box.id if self.box else None)
        self._update_heading()
        self.remember_box()

    def _choose_open_box(self, index: int) -> None:
        self.guarded(lambda: self.set_box(self.box_panel.open_boxes.itemData(index)))

    def _on_tables_changed(self, tables: frozenset[str]) -> None:
        """Read on the read worker: a commit at the desk runs no statement on the UI thread."""
        if "inbound_boxes" in tables or "repair_orders" in tables:
            self._reload_open_boxes()
        if "product_models" in tables or "product_categories" in tables:
            ctx = self.ctx
            self._models.run(lambda: read_model_choices(ctx))

    # Scans: the lookups and the save on the floor worker, one scan after the other
    def scan_job(self, code: str) -> FloorJob:
        """The work of each job holds plain data (the context, the code), never this tab."""
        code, ctx = formats.clean_scan(code), self.ctx
        if self.box is not None:
            box_id, details = self.box.id, self.intake.details()

            def refused(error: DomainError) -> None:
                from app.receiving.intake import ModelDisagreement

                self.show_refusal(error)  # red and the sound on the message line
                if isinstance(error, ModelDisagreement):
                    self._ask_model(box_id, code, details, error)  # the dialog asks

            return FloorJob(lambda: receive(ctx, box_id, code, details), self._scanned, refused)
        return FloorJob(lambda: look_up(ctx, code), lambda found: self._found(found, code))

    def _found(self, found: OrderRow | WaybillCheck, code: str) -> None:
        from app.receiving.desk import WaybillCheck

        if not isinstance(found, WaybillCheck):
            self.show_order(found, code)
            return
        if found.open_box_id is not None:
            self.set_box(found.open_box_id)
            self.report(
                Outcome.OK,
                self.tr("Box {waybill} is open again: scan its units.").format(
                    waybill=found.waybill_no
                ),
            )
            return
        self.ask_open_box(found)

    def _ask_model(
        self, box_id: int, code: str, details: UnitDetails, disagreement: ModelDisagreement
    ) -> None:
        """The panel's model disagrees with the register / TAC: receive only once confirmed."""
        from ui.receiving.model_check import ModelConfirmDialog

        ctx = self.ctx

        def confirm() -> None:
            self.run_floor(
                lambda: receive(ctx, box_id, code, details, confirm_model=True), self._scanned
            )

        def use_known() -> None:
            self.intake.set_automatic_model()
            known = replace(details, model_code=None)
            self.run_floor(lambda: receive(ctx, box_id, code, known), self._scanned)

        dialog = ModelConfirmDialog(disagreement, confirm, use_known, self)
        # Opened once the refusal's "focus back on the scan field" has run (see the dialog).
        QTimer.singleShot(0, self, lambda: self._show_dialog(dialog))

    def ask_open_box(self, waybill: WaybillCheck) -> None:
        from ui.receiving.dialogs import OpenBoxDialog

        dialog = OpenBoxDialog(self.ctx, waybill, self)
        dialog.box_opened.connect(self._box_opened)
        self._show_dialog(dialog)

    def _box_opened(self, box_id: int) -> None:
        self.set_box(box_id)
        self._reload_open_boxes()
        assert self.box is not None
        self.report(
            Outcome.OK,
            self.tr("Box {waybill} opened: {declared} unit(s) declared. Scan the units.").format(
                waybill=self.box.waybill_no, declared=self.box.declared_quantity
            ),
        )

    def _scanned(self, saved: Saved) -> None:
        from ui.receiving.scan_answer import scan_answer

        result, box, defaults = saved
        received = result.received
        self.last_order_id = received.order_id
        self._show_box(box, defaults)  # as read on the floor worker after the save
        self.unit_history.show_history(received.serial, result.history)
        self.report(*scan_answer(result))
        self.documents.label(received.order_id, print_now=self.box_panel.print_labels.isChecked())

    # Labels
    def selected_or_last_order(self) -> int | None:
        rows = self.units.view.selectionModel().selectedRows()
        if rows:
            return self.units.model.row_object(rows[0].row()).order_id  # type: ignore[attr-defined]
        return self.last_order_id

    def preview_label(self) -> None:
        order_id = self.selected_or_last_order()
        if order_id is None:
            self.report(Outcome.WARNING, self.tr("Scan a unit or select one in the box first."))
            return
        self.documents.preview_label(order_id)

    def preview_pending_labels(self) -> None:
        self.documents.preview_pending_labels()

    def _refused(self, error: DomainError) -> None:
        show_domain_error(self, error, self.scan_bar.message if self.scan_bar else None)

    # Closing the box
    def ask_close_box(self) -> None:
        from app.receiving import box_summary
        from app.receiving.boxes import receiving_slip
        from ui.receiving import printing as receiving_print
        from ui.receiving.dialogs import CloseBoxDialog

        if self.box is None:
            self.report(Outcome.WARNING, self.tr("No box is open."))
            return
        box_id = self.box.id
        summary = box_summary(self.ctx, box_id)

        def closed(closed: BoxSummary) -> None:  # on the floor worker's answer
            self.set_box(None)
            self._reload_open_boxes()
            self.report(
                Outcome.OK if closed.difference == 0 else Outcome.WARNING,
                (
                    self.tr("Box {waybill} closed: {scanned} unit(s), as declared.")
                    if closed.difference == 0
                    else self.tr(
                        "Box {waybill} closed: scanned {scanned}, declared {declared}; "
                        "the customer is to be contacted."
                    )
                ).format(
                    waybill=closed.waybill_no,
                    scanned=closed.scanned_quantity,
                    declared=closed.declared_quantity,
                ),
            )
            self.documents.preview_document(
                lambda ctx: receiving_slip(ctx, box_id),
                self.tr("Receiving slip"),
                receiving_print.send_to_document_printer,
            )

        self._show_dialog(CloseBoxDialog(self.ctx, summary, closed, self))

    # Photos
    def check_condition(self) -> None:
        """Complete (or correct) the intake appearance check of the selected or last unit."""
        from app.receiving.condition import condition_form
        from ui.receiving.condition import ConditionDialog

        order_id = self.selected_or_last_order()
        if order_id is None:
            self.report(Outcome.WARNING, self.tr("Scan a unit or select one in the box first."))
            return
        dialog = ConditionDialog(self.ctx, condition_form(self.ctx, order_id), self)
        dialog.recorded.connect(self._condition_recorded)
        self._show_dialog(dialog)

    def _condition_recorded(self, missing: list[str]) -> None:
        if missing:
            self.report(
                Outcome.WARNING,
                self.tr("Appearance check saved; still missing: {items}").format(
                    items="、".join(missing)
                ),
            )
        else:
            self.report(
                Outcome.OK, self.tr("Appearance check complete: the unit may leave receiving.")
            )

    def attach_photos(self) -> None:
        """Photos of the selected or last unit: the station's camera or files (PhotoDialog)."""
        order_id = self.selected_or_last_order()
        if order_id is None:
            self.report(Outcome.WARNING, self.tr("Scan a unit or select one in the box first."))
            return
        from ui.receiving.photo_capture import PhotoDialog  # the camera's, when first used

        dialog = PhotoDialog(self.ctx, order_id, self)
        dialog.stored.connect(
            lambda count: self.report(
                Outcome.OK, self.tr("{count} photo(s) attached.").format(count=count)
            )
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.photo_dialog = dialog

    # The sales register
    def choose_register_file(self) -> Path | None:
        """The file dialog (tests replace it)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Sales register"), "", self.tr("Excel workbooks (*.xlsx)")
        )
        return Path(name) if name else None

    def import_register(self) -> None:
        path = self.choose_register_file()
        if path is not None:
            self.register_import.check(path)
