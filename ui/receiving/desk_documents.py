"""The receiving desk's documents: repair-order labels, printed at once on the station's label
printer or kept waiting for a preview (printing off, or no printer answered), and the receiving
slip, previewed when a box closes. PDFs are made off the UI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.context import Context
from app.documents.roles import DocumentKind
from app.errors import DomainError
from app.receiving.order_labels import order_labels_pdf
from ui.ops import BackgroundOp
from ui.print_queue import print_queue
from ui.receiving import printing as receiving_print
from ui.widgets.pdf_preview import PdfPreviewDialog, PrinterDoor


class DeskDocuments(QObject):
    pending_changed = Signal()  # a label joined or left the labels waiting for a preview
    label_not_printed = Signal(str)  # the floor's warning: amber, with a sound
    preview_closed = Signal()

    def __init__(
        self, ctx: Context, refused: Callable[[DomainError], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._refused = refused
        self._window = parent
        self.pending_labels: list[int] = []
        self.preview: PdfPreviewDialog | None = None

    def label(self, order_id: int, *, print_now: bool) -> None:
        """A new unit's label: to the printer, or waiting for a preview."""
        if not print_now:
            self._wait(order_id)
            return
        ctx = self._ctx
        BackgroundOp(
            self._window, lambda: receiving_print.label_for_printer(ctx, [order_id])
        ).success(lambda pdf: self._print_label(order_id, pdf)).failure(
            self._refused
        ).run_in_background()

    def _print_label(self, order_id: int, pdf: bytes) -> None:
        if not receiving_print.send_label(pdf, self.tr("Repair-order label")):
            queue = print_queue(self._ctx)  # waits, visible, until it is printed
            from app.documents.reprint import order_number

            try:
                queue.add(DocumentKind.ORDER_LABEL, order_number(self._ctx, order_id))
            except DomainError:
                self._wait(order_id)  # the number cannot be read now: the preview list keeps it
            printer = receiving_print.label_printer_name() or self.tr(
                "(the system's default printer)"
            )
            self.label_not_printed.emit(
                self.tr(
                    "Label not printed: printer {printer} not found. "
                    "It waits in the labels to print ({count})."
                ).format(printer=printer, count=len(queue.items) + len(self.pending_labels))
            )

    def _wait(self, order_id: int) -> None:
        self.pending_labels.append(order_id)
        self.pending_changed.emit()

    def preview_label(self, order_id: int) -> None:
        self.preview_document(
            lambda ctx: order_labels_pdf(ctx, [order_id], *receiving_print.label_layout()),
            self.tr("Label"),
        )

    def preview_pending_labels(self) -> None:
        ids, self.pending_labels = self.pending_labels, []
        self.pending_changed.emit()
        if ids:
            self.preview_document(
                lambda ctx: order_labels_pdf(ctx, ids, *receiving_print.label_layout()),
                self.tr("Labels"),
            )

    def preview_document(
        self,
        render: Callable[[Context], bytes],
        title: str,
        print_with: PrinterDoor | None = None,
    ) -> None:
        """Preview a document; its Print button goes to ``print_with`` (default: the label
        printer; a receiving slip passes the document printer's door)."""
        ctx = self._ctx
        door = print_with or receiving_print.send_to_printer
        BackgroundOp(self._window, lambda: render(ctx)).success(
            lambda pdf: self._show_preview(pdf, title, door)
        ).failure(self._refused).with_progress(
            self.tr("Preparing the document…")
        ).run_in_background()

    def _show_preview(self, pdf: bytes, title: str, door: PrinterDoor) -> None:
        if self.preview is not None:
            self.preview.close()
            self.preview.deleteLater()
        self.preview = PdfPreviewDialog(
            pdf,
            title,
            self._window,
            print_with=door,
            object_name="receivingPdfPreview",
        )
        self.preview.resize(520, 640)
        self.preview.finished.connect(lambda _result: self.preview_closed.emit())
        self.preview.open()
