"""Receiving (收货): scanner first. With no box open a scan is the inbound waybill (pick the sender
and the declared quantity, Enter opens the box); with a box open each scanned serial / IMEI is a
repair order at once, answered in colour with its warranty; F10 (or Ctrl+Enter) closes the box
against the declared count and previews the receiving slip."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import formats
from app.context import Context
from app.errors import DomainError
from app.orders.listing import OrderFilter
from app.permissions import Permission
from app.receiving import BoxSummary, box_summary, close_box, open_boxes
from app.receiving.boxes import receiving_slip
from app.receiving.condition import condition_form
from app.receiving.desk import (
    HistoryLine,
    ScanResult,
    WaybillCheck,
    box_defaults,
    box_lines,
    check_waybill,
    model_choices,
    scan_unit,
)
from app.receiving.order_labels import order_labels_pdf
from app.receiving.photos import attach_photo
from app.receiving.sales_register import ImportResult, import_sales_register
from app.search.lookup import order_by_code
from ui.changes import ChangeBridge
from ui.i18n import format_time, state_label
from ui.models.lists import ListTableModel
from ui.models.orders import OrderTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.receiving import printing as receiving_print
from ui.receiving.condition import ConditionDialog
from ui.receiving.dialogs import CloseBoxDialog, ImportPreviewDialog, OpenBoxDialog
from ui.receiving.intake import IntakePanel
from ui.receiving.printing import PdfPreviewDialog
from ui.widgets.feedback import Outcome, show_domain_error
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import OrderSection, TableSection

RECENT_DAYS = timedelta(days=7)
BOX_TABLES = frozenset({"repair_orders", "inbound_boxes"})

BOX_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda line: line.order_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Serial / IMEI"), lambda line: line.serial),
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda line: line.model_name),
    Column(QT_TRANSLATE_NOOP("Columns", "Capacity"), lambda line: line.capacity or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Colour"), lambda line: line.colour or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Fault"), lambda line: line.fault_description),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Warranty"),
        lambda line: "保内" if line.in_warranty else "保外",
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Repeat"),
        lambda line: "返修" if line.is_repeat or line.is_rework else "",
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Appearance check"),
        lambda line: "✓" if line.condition_checked else "待检",
    ),
)


class ReceivingTab(FloorTab):
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
        self.last_order_id: int | None = None
        self.pending_labels: list[int] = []  # labels not printed: waiting for a preview
        self.preview: PdfPreviewDialog | None = None
        self.dialog: OpenBoxDialog | CloseBoxDialog | ImportPreviewDialog | None = None

        self.add_widget(self._scrolling(self._build_box_panel(), "boxScroll"), 3)
        self.add_widget(self._scrolling(self._build_side_panel(), "intakeScroll"), 2)
        # The desk's own list: the last week's receipts (the index on received_at keeps it fast
        # on a database of millions of orders; older orders are found through the search).
        recent = OrderFilter(received_since=ctx.now() - RECENT_DAYS)
        self.recent = OrderSection(
            self.tr("Received in the last 7 days"),
            OrderTableModel(
                ctx.db, recent, clock=ctx.clock, sort_key="received_at", descending=True
            ),
            "recentOrdersTable",
        )
        self.box_section_splitter.addWidget(self.recent)
        self.sections += [self.units, self.recent]
        for key in ("F10", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.ask_close_box)
        changes.tables_changed.connect(self._on_tables_changed)
        self.intake.set_models(model_choices(ctx))
        self._reload_open_boxes()
        self.set_box(None)

    # Layout
    def _build_box_panel(self) -> QWidget:
        panel = QWidget(self)
        panel.setObjectName("boxPanel")
        self.box_heading = QLabel(panel)
        self.box_heading.setObjectName("boxHeading")
        self.box_heading.setWordWrap(True)
        self.box_heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        self.open_boxes_combo = QComboBox(panel)
        self.open_boxes_combo.setObjectName("openBoxesCombo")
        self.open_boxes_combo.activated.connect(self._choose_open_box)
        self.units = TableSection(
            self.tr("Units in this box"),
            ListTableModel(BOX_COLUMNS, self._load_box_lines, tables=BOX_TABLES),
            "boxUnitsTable",
        )
        self.close_button = self._button(self.tr("Close box (F10)"), "closeBoxButton", panel)
        self.close_button.clicked.connect(self.ask_close_box)
        self.preview_label_button = self._button(
            self.tr("Preview label"), "previewLabelButton", panel
        )
        self.preview_label_button.clicked.connect(self.preview_label)
        self.pending_button = self._button("", "pendingLabelsButton", panel)
        self.pending_button.clicked.connect(self.preview_pending_labels)
        self.photo_button = self._button(self.tr("Attach photos…"), "attachPhotosButton", panel)
        self.photo_button.clicked.connect(self.attach_photos)
        self.condition_button = self._button(self.tr("Appearance check…"), "conditionButton", panel)
        self.condition_button.clicked.connect(self.check_condition)
        self.print_labels = QCheckBox(self.tr("Print labels"), panel)
        self.print_labels.setObjectName("printLabelsCheck")
        self.print_labels.setToolTip(
            self.tr("Print each label at once; unchecked, labels wait for a preview")
        )
        self.print_labels.setChecked(receiving_print.PRINT_LABELS.get())
        self.print_labels.toggled.connect(receiving_print.PRINT_LABELS.set)
        self.print_labels.toggled.connect(lambda _on: self.scan_field_focus())
        self.import_button = self._button(
            self.tr("Import sales register…"), "importRegisterButton", panel
        )
        self.import_button.clicked.connect(self.import_register)
        self.import_button.setVisible(self.ctx.actor.can(Permission.ADMINISTER))

        top = QHBoxLayout()
        top.addWidget(self.box_heading, 1)
        top.addWidget(self.open_boxes_combo)
        actions = QHBoxLayout()
        actions.addWidget(self.print_labels)
        for button in (
            self.preview_label_button,
            self.pending_button,
            self.photo_button,
            self.condition_button,
            self.import_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        self.box_section_splitter = QSplitter(Qt.Orientation.Vertical, panel)
        self.box_section_splitter.setChildrenCollapsible(False)
        self.box_section_splitter.addWidget(self.units)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.box_section_splitter, 1)
        return panel

    def _build_side_panel(self) -> QWidget:
        panel = QWidget(self)
        panel.setObjectName("receivingSidePanel")
        self.intake = IntakePanel(panel)
        self.intake.editing_done.connect(self.scan_field_focus)
        self.history_heading = QLabel(self.tr("Unit history"), panel)
        self.history_heading.setObjectName("unitHistoryHeading")
        self.history_heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.history = QListWidget(panel)
        self.history.setObjectName("unitHistory")
        self.history.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intake, 3)
        layout.addWidget(self.history_heading)
        layout.addWidget(self.history, 1)
        return panel

    def _scrolling(self, panel: QWidget, name: str) -> QScrollArea:
        """Scrolls on a small screen rather than forcing the window to grow."""
        scroll = QScrollArea(self)
        scroll.setObjectName(name)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        return scroll

    def _button(self, text: str, name: str, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        return button

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
    def _load_box_lines(self) -> list[object]:
        return [] if self.box is None else list(box_lines(self.ctx, self.box.id))

    def set_box(self, box_id: int | None) -> None:
        self.box = box_summary(self.ctx, box_id) if box_id is not None else None
        self.units.model.refresh()  # type: ignore[attr-defined]
        if self.box is not None:
            self.intake.apply_defaults(box_defaults(self.ctx, self.box.id))
        self._update_heading()
        index = self.open_boxes_combo.findData(box_id)
        self.open_boxes_combo.setCurrentIndex(max(index, 0))

    def _update_heading(self) -> None:
        box = self.box
        self.close_button.setEnabled(box is not None)
        self.pending_button.setVisible(bool(self.pending_labels))
        self.pending_button.setText(
            self.tr("Labels waiting ({count})").format(count=len(self.pending_labels))
        )
        if box is None:
            self.box_heading.setText(self.tr("No box open: scan the waybill of the box."))
            return
        self.box_heading.setText(
            self.tr("Box {waybill} from {sender}: scanned {scanned} of {declared}").format(
                waybill=box.waybill_no,
                sender=box.sender_name,
                scanned=box.scanned_quantity,
                declared=box.declared_quantity,
            )
        )

    def _reload_open_boxes(self) -> None:
        self.open_boxes_combo.clear()
        self.open_boxes_combo.addItem(self.tr("No box (scan a waybill)"), None)
        for box in open_boxes(self.ctx):
            self.open_boxes_combo.addItem(
                self.tr("{waybill} · {sender} · {scanned}/{declared}").format(
                    waybill=box.waybill_no,
                    sender=box.sender_name,
                    scanned=box.scanned_quantity,
                    declared=box.declared_quantity,
                ),
                box.id,
            )
        index = self.open_boxes_combo.findData(self.box.id if self.box else None)
        self.open_boxes_combo.setCurrentIndex(max(index, 0))

    def _choose_open_box(self, index: int) -> None:
        self.guarded(lambda: self.set_box(self.open_boxes_combo.itemData(index)))

    def _on_tables_changed(self, tables: frozenset[str]) -> None:
        if "inbound_boxes" in tables or "repair_orders" in tables:
            if self.box is not None:
                current = box_summary(self.ctx, self.box.id)
                self.box = None if current.closed_at is not None else current
                if self.box is None:
                    self.units.model.refresh()  # type: ignore[attr-defined]
            self._reload_open_boxes()
            self._update_heading()
        if "product_models" in tables or "product_categories" in tables:
            self.intake.set_models(model_choices(self.ctx))

    # Scans
    def handle_scan(self, code: str) -> None:
        self.guarded(lambda: self._scan(code))

    def _scan(self, code: str) -> None:
        code = formats.clean_scan(code)
        if self.box is not None:
            self._scanned(scan_unit(self.ctx, self.box.id, code, self.intake.details()))
            return
        if order_by_code(self.ctx.db, code) is not None:
            self.show_scanned_order(code)  # a label scanned to look an order up
            return
        waybill = check_waybill(self.ctx, code)
        if waybill.open_box_id is not None:
            self.set_box(waybill.open_box_id)
            self.report(
                Outcome.OK,
                self.tr("Box {waybill} is open again: scan its units.").format(
                    waybill=waybill.waybill_no
                ),
            )
            return
        self.ask_open_box(waybill)

    def ask_open_box(self, waybill: WaybillCheck) -> None:
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

    def _scanned(self, result: ScanResult) -> None:
        received = result.received
        self.last_order_id = received.order_id
        self.set_box(self.box.id if self.box else None)
        self._show_history(received.serial, result.history)
        warranty = self._warranty_text(result)
        text = self.tr("{order_no} · {serial} · {model}: {warranty}").format(
            order_no=received.order_no,
            serial=received.serial,
            model=received.model_code,
            warranty=warranty,
        )
        if received.is_rework:
            self.report(
                Outcome.WARNING,
                self.tr("返修 (rework of our repair) — {text}").format(text=text),
            )
        elif received.is_repeat:
            self.report(Outcome.WARNING, self.tr("返修 (seen before) — {text}").format(text=text))
        else:
            self.report(Outcome.OK, text)
        self._label(received.order_id)

    def _warranty_text(self, result: ScanResult) -> str:
        received = result.received
        until = f"{received.warranty_until:%Y-%m-%d}" if received.warranty_until else ""
        if result.sale is not None:
            sold = self.tr("sold on {date} to {dealer}").format(
                date=f"{result.sale.sale_date:%Y-%m-%d}", dealer=result.sale.dealer or "-"
            )
        else:
            sold = self.tr("not in the sales register")
        if received.in_warranty:
            return self.tr("{sold}, in warranty until {until}").format(sold=sold, until=until)
        if until:
            return self.tr("{sold}, 保外 (warranty ended {until})").format(sold=sold, until=until)
        return self.tr("{sold}, 保外").format(sold=sold)

    def _show_history(self, serial: str, history: list[HistoryLine]) -> None:
        self.history.clear()
        if not history:
            self.history_heading.setText(
                self.tr("Unit history: {serial} is new here").format(serial=serial)
            )
            return
        self.history_heading.setText(
            self.tr("Unit history: {serial}, {count} earlier visit(s)").format(
                serial=serial, count=len(history)
            )
        )
        for line in history:
            marks = " ".join(
                mark
                for mark, on in (
                    ("返修", line.is_repeat),
                    (self.tr("rework"), line.is_rework),
                    ("保内" if line.in_warranty else "保外", True),
                )
                if on
            )
            self.history.addItem(
                self.tr("{order_no} · {received} → {shipped} · {state} · {fault} {marks}").format(
                    order_no=line.order_no,
                    received=format_time(line.received_at),
                    shipped=format_time(line.shipped_at) or "-",
                    state=state_label(line.state),
                    fault=line.fault_description or "-",
                    marks=marks,
                )
            )

    # Labels
    def _label(self, order_id: int) -> None:
        if not self.print_labels.isChecked():
            self.pending_labels.append(order_id)
            self._update_heading()
            return
        ctx = self.ctx
        BackgroundOp(self, lambda: order_labels_pdf(ctx, [order_id])).success(
            lambda pdf: self._print_label(order_id, pdf)
        ).failure(self._refused).run_in_background()

    def _print_label(self, order_id: int, pdf: bytes) -> None:
        if not receiving_print.send_to_printer(pdf, self.tr("Repair-order label")):
            self.pending_labels.append(order_id)
            self._update_heading()

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
        self._preview(lambda ctx: order_labels_pdf(ctx, [order_id]), self.tr("Label"))

    def preview_pending_labels(self) -> None:
        ids, self.pending_labels = self.pending_labels, []
        self._update_heading()
        if ids:
            self._preview(lambda ctx: order_labels_pdf(ctx, ids), self.tr("Labels"))

    def _preview(self, render: Callable[[Context], bytes], title: str) -> None:
        ctx = self.ctx
        BackgroundOp(self, lambda: render(ctx)).success(
            lambda pdf: self._show_preview(pdf, title)
        ).failure(self._refused).with_progress(
            self.tr("Preparing the document…")
        ).run_in_background()

    def _show_preview(self, pdf: bytes, title: str) -> None:
        if self.preview is not None:
            self.preview.close()
            self.preview.deleteLater()
        self.preview = PdfPreviewDialog(pdf, title, self)
        self.preview.finished.connect(lambda _result: self._dialog_done())
        self.preview.open()

    def _refused(self, error: DomainError) -> None:
        show_domain_error(self, error, self.scan_bar.message if self.scan_bar else None)

    # Closing the box
    def ask_close_box(self) -> None:
        if self.box is None:
            self.report(Outcome.WARNING, self.tr("No box is open."))
            return
        box_id = self.box.id
        summary = box_summary(self.ctx, box_id)

        def close(note: str) -> None:
            closed = close_box(self.ctx, box_id, difference_note=note)
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
            self._preview(lambda ctx: receiving_slip(ctx, box_id), self.tr("Receiving slip"))

        self._show_dialog(CloseBoxDialog(summary, close, self))

    # Photos
    def choose_photo_files(self) -> list[Path]:
        """The file dialog (tests replace it)."""
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Photos of the unit"),
            "",
            self.tr("Pictures (*.jpg *.jpeg *.png *.bmp *.webp *.heic)"),
        )
        return [Path(name) for name in files]

    def check_condition(self) -> None:
        """Complete (or correct) the intake appearance check of the selected or last unit."""
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
        order_id = self.selected_or_last_order()
        if order_id is None:
            self.report(Outcome.WARNING, self.tr("Scan a unit or select one in the box first."))
            return
        files = self.choose_photo_files()

        def attach() -> None:
            for path in files:
                attach_photo(self.ctx, order_id, path)
            if files:
                self.report(
                    Outcome.OK, self.tr("{count} photo(s) attached.").format(count=len(files))
                )

        self.guarded(attach)

    # The sales register
    def choose_register_file(self) -> Path | None:
        """The file dialog (tests replace it)."""
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Sales register"), "", self.tr("Excel workbooks (*.xlsx)")
        )
        return Path(name) if name else None

    def import_register(self) -> None:
        path = self.choose_register_file()
        if path is None:
            return
        ctx = self.ctx
        BackgroundOp(self, lambda: import_sales_register(ctx, path, apply=False)).success(
            lambda result: self._confirm_import(path, result)
        ).failure(self._refused).with_progress(
            self.tr("Checking the sales register…")
        ).run_in_background()

    def _confirm_import(self, path: Path, result: ImportResult) -> None:
        dialog = ImportPreviewDialog(path.name, result, self)
        dialog.accepted.connect(lambda: self._apply_import(path))
        self._show_dialog(dialog)

    def _apply_import(self, path: Path) -> None:
        ctx = self.ctx
        BackgroundOp(self, lambda: import_sales_register(ctx, path, apply=True)).success(
            self._imported
        ).failure(self._refused).with_progress(
            self.tr("Importing the sales register…")
        ).run_in_background()

    def _imported(self, result: ImportResult) -> None:
        if not result.applied:
            self.report(
                Outcome.ERROR,
                self.tr("The sales register was not imported: {count} bad row(s).").format(
                    count=len(result.bad_rows)
                ),
            )
            return
        self.report(
            Outcome.OK,
            self.tr("Sales register imported: {added} new, {updated} updated.").format(
                added=result.added, updated=result.updated
            ),
        )
