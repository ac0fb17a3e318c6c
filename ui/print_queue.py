"""The station's "to print" list: every label or document that did not print (no printer found,
printer off) waits here until it is printed; the clerk opens it from the receiving desk or from
the status bar's count and prints one again or all of them. While anything waits, the floor's
message line is never green (``FloorTab.report``).

One list per station (per database it works on), shared by every tab. Printing goes through the
core's reprint (:func:`app.documents.reprint.reprint`: made anew, audited) and the role's printer.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.db import Database
from app.errors import DomainError
from ui.ops import BackgroundOp

if TYPE_CHECKING:  # the printing is imported with the first print, not with the status bar's button
    from app.documents.roles import DocumentKind

AMBER = "QPushButton { background: #f0b429; color: #3b2a00; font-weight: bold; }"


@dataclass(frozen=True)
class Waiting:
    kind: DocumentKind
    number: str

    def title(self) -> str:
        from ui.reprint import kind_name

        return f"{kind_name(self.kind)} {self.number}"


class PrintQueue(QObject):
    """``changed`` after a document joins or leaves the list; ``failed(text)`` when printing
    again did not work either (the document stays)."""

    changed = Signal()
    failed = Signal(str)

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[Waiting] = []

    def add(self, kind: DocumentKind, number: str) -> None:
        item = Waiting(kind, number)
        if number and item not in self.items:
            self.items.append(item)
            self.changed.emit()

    def remove(self, item: Waiting) -> None:
        if item in self.items:
            self.items.remove(item)
            self.changed.emit()

    def print_again(self, item: Waiting) -> None:
        """Made anew (off the UI thread) and sent to its role's printer; it leaves the list once
        the printer took it."""
        from app.documents.roles import ROLE_OF, PrinterRole
        from ui import pdf_print

        ctx = self.ctx
        printer = pdf_print.role_printer(ROLE_OF[item.kind])
        size = pdf_print.label_stock() if ROLE_OF[item.kind] is PrinterRole.LABEL else None
        zpl = pdf_print.label_in_zpl(item.kind)
        from app.documents.reprint import reprint  # with the first reprint, not at start-up

        BackgroundOp(
            self,
            lambda: reprint(
                ctx, item.kind, item.number, dpi=printer.dpi or 300, label_size=size, zpl=zpl
            ),
        ).success(lambda pdf: self._send(item, pdf)).failure(
            lambda error: self._refused(item, error)
        ).run_in_background()

    def print_all(self) -> None:
        for item in list(self.items):
            self.print_again(item)

    def _send(self, item: Waiting, pdf: bytes) -> None:
        from ui import pdf_print

        if pdf_print.send(pdf, item.title(), item.kind):
            self.remove(item)
        else:
            self.failed.emit(
                QCoreApplication.translate(
                    "PrintQueue", "{title} not printed: no printer for it was found."
                ).format(title=item.title())
            )

    def _refused(self, item: Waiting, error: DomainError) -> None:
        from ui.i18n import domain_message

        self.failed.emit(f"{item.title()}: {domain_message(error)}")


_queues: weakref.WeakKeyDictionary[Database, PrintQueue] = weakref.WeakKeyDictionary()


def print_queue(ctx: Context) -> PrintQueue:
    """The station's list (one per database this window works on)."""
    key = ctx.db.unguarded
    queue = _queues.get(key)
    if queue is None:
        queue = _queues[key] = PrintQueue(ctx, QCoreApplication.instance())
    return queue


def waiting_count(ctx: Context) -> int:
    queue = _queues.get(ctx.db.unguarded)
    return len(queue.items) if queue is not None else 0


class ToPrintDialog(QDialog):
    """The list, with "Print again" (the selected) and "Print all"."""

    def __init__(self, queue: PrintQueue, parent: QWidget | None = None) -> None:
        # Made when first opened: the status bar's button shows without the list views' types.
        from PySide6.QtWidgets import QListWidget

        super().__init__(parent)
        self.setObjectName("toPrintDialog")
        self.setWindowTitle(self.tr("To print"))
        self.queue = queue
        self.list = QListWidget(self)
        self.list.setObjectName("toPrintList")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.print_button = QPushButton(self.tr("Print again"), self)
        self.print_button.setObjectName("printAgainButton")
        self.print_button.clicked.connect(self.print_selected)
        self.print_all_button = QPushButton(self.tr("Print all"), self)
        self.print_all_button.setObjectName("printAllButton")
        self.print_all_button.clicked.connect(queue.print_all)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.print_all_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Labels and documents that did not print wait here until printed."))
        )
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        queue.changed.connect(self.load)
        queue.failed.connect(self.message.setText)
        self.resize(460, 360)
        self.load()

    def load(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem  # imported with the list (__init__)

        self.list.clear()
        for item in self.queue.items:
            row = QListWidgetItem(item.title())
            row.setData(Qt.ItemDataRole.UserRole, item)
            self.list.addItem(row)
        if self.queue.items and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.print_button.setEnabled(bool(self.queue.items))
        self.print_all_button.setEnabled(bool(self.queue.items))

    def print_selected(self) -> None:
        row = self.list.currentItem()
        if row is not None:
            self.queue.print_again(row.data(Qt.ItemDataRole.UserRole))


class ToPrintButton(QPushButton):
    """ "To print (N)" in amber, shown only while something waits; opens the list."""

    def __init__(self, ctx: Context, parent: QWidget | None = None, name: str = "toPrintButton"):
        super().__init__(parent)
        self.setObjectName(name)
        self.queue = print_queue(ctx)
        self.setStyleSheet(AMBER)
        self.dialog: ToPrintDialog | None = None
        self.clicked.connect(self.open_list)
        self.queue.changed.connect(self.update_count)
        self.update_count()

    def update_count(self) -> None:
        count = len(self.queue.items)
        self.setText(self.tr("To print ({count})").format(count=count))
        self.setVisible(count > 0)

    def open_list(self) -> ToPrintDialog:
        if self.dialog is None:
            self.dialog = ToPrintDialog(self.queue, self.window())
        self.dialog.load()
        self.dialog.open()
        return self.dialog
