"""The order timeline: the header, then every event (when, what, who / station, detail).

"Copy as text" puts the plain text on the clipboard for the phone agent; "Preview" shows the
A4 PDF in the one PDF preview; "Print" sends it through :func:`print_timeline` (the one door to the
printer, which tests replace). The timeline loads off the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.search.timeline import Timeline, order_timeline
from app.search.timeline_text import header_lines, timeline_document, timeline_text
from ui.i18n import format_time, tr_app
from ui.ops import BackgroundOp
from ui.reprint import reprint_orders
from ui.widgets.pdf_preview import PdfPreviewDialog


def print_timeline(pdf: bytes, title: str) -> bool:
    """Print on the station's A4 document printer (no dialog); False if there is none."""
    from app.documents.roles import DocumentKind
    from ui.pdf_print import print_document

    return print_document(pdf, title, DocumentKind.TIMELINE)


class TimelineDialog(QDialog):
    """One order's whole life; opened with ``open()`` or ``show()``, never ``exec()``."""

    def __init__(self, ctx: Context, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.order_id = order_id
        self.timeline: Timeline | None = None
        self.setWindowTitle(self.tr("Order timeline"))
        self.header = QLabel(self.tr("Loading…"), self)
        self.header.setObjectName("timelineHeader")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.events = QTableWidget(0, 4, self)
        self.events.setObjectName("timelineEvents")
        self.events.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("What"), self.tr("Who / station"), self.tr("Detail")]
        )
        self.events.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.events.verticalHeader().setVisible(False)
        self.events.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("Copy as text"), self)
        self.copy_button.setObjectName("timelineCopy")
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.setObjectName("timelinePreview")
        self.print_button = QPushButton(self.tr("Print"), self)
        self.print_button.setObjectName("timelinePrint")
        self.unit_button = QPushButton(self.tr("Unit history"), self)
        self.unit_button.setObjectName("timelineUnit")
        self.unit_button.setToolTip(self.tr("Every order of this unit, with photos and parts"))
        self.unit_button.clicked.connect(self.open_unit)
        for button in (self.copy_button, self.preview_button, self.print_button, self.unit_button):
            button.setEnabled(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_as_text)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_)
        self.status = QLabel(self)
        self.status.setObjectName("timelineStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.events, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(980, 620)
        # The order view prints any of the order's documents again (context menu, Ctrl+P).
        self.reprinter = reprint_orders(
            self.events,
            ctx,
            lambda _outcome, text: self.status.setText(text),
            lambda _row: self.timeline.header.order_no if self.timeline else None,
        )
        BackgroundOp(self, lambda: order_timeline(ctx, order_id)).success(
            self._show
        ).run_in_background()

    def _show(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.setWindowTitle(
            self.tr("Order timeline: {order_no}").format(order_no=timeline.header.order_no)
        )
        self.header.setText("\n".join(header_lines(timeline.header, tr_app)))
        self.events.setRowCount(len(timeline.events))
        for row, event in enumerate(timeline.events):
            who = " / ".join(part for part in (event.who, event.station) if part)
            cells = (format_time(event.at), event.label(tr_app), who, event.detail(tr_app))
            for column, text in enumerate(cells):
                self.events.setItem(row, column, QTableWidgetItem(text))
        self.events.resizeColumnsToContents()
        for button in (self.copy_button, self.preview_button, self.print_button, self.unit_button):
            button.setEnabled(True)

    def open_unit(self) -> None:
        """The unit view of this order's serial (every order of the unit)."""
        if self.timeline is not None:
            from ui.search.unit_view import open_unit_view

            self.unit_dialog = open_unit_view(self.ctx, self.timeline.header.serial, self)

    def text(self) -> str:
        return timeline_text(self.timeline, tr_app) if self.timeline else ""

    def copy_as_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.status.setText(self.tr("Copied to the clipboard."))

    def _pdf(self) -> bytes:
        assert self.timeline is not None
        return timeline_document(self.timeline, tr_app)

    def preview(self) -> None:
        timeline = self.timeline
        if timeline is None:
            return
        title = self.windowTitle()

        def show(pdf: bytes) -> None:
            dialog = PdfPreviewDialog(pdf, title, self, object_name="timelinePreviewDialog")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.resize(760, 900)
            dialog.open()

        BackgroundOp(self, self._pdf).success(show).run_in_background()

    def print_(self) -> None:
        if self.timeline is None:
            return
        title = self.windowTitle()

        def send(pdf: bytes) -> None:
            if print_timeline(pdf, title):
                self.status.setText(self.tr("Sent to the printer."))
            else:
                self.status.setText(self.tr("No printer is set up: use Preview."))

        BackgroundOp(self, self._pdf).success(send).run_in_background()
