"""Print a document again from its row: a context menu on a list's rows (one action per document
the row has) and Ctrl+P for the first of them. The document is made anew and audited in the core
(:func:`app.documents.reprint.reprint`), off the UI thread, then sent to its role's printer; a
print that fails is reported as a warning (amber, with a sound) and waits in the station's
"to print" list (ui/print_queue.py).

A list of orders or of complaints adds its reprint with one line: :func:`reprint_orders` /
:func:`reprint_complaints` (what each row prints is the core's ``documents_of_order`` /
``documents_of_complaint``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu

from app.context import Context
from app.documents.roles import ROLE_OF, DocumentKind, PrinterRole
from app.errors import DomainError
from ui import pdf_print
from ui.ops import BackgroundOp
from ui.widgets.feedback import Outcome

Choices = Callable[[int], Sequence[tuple[DocumentKind, str]]]  # row -> (document, its number)
Report = Callable[[Outcome, str], None]
PRINT_AGAIN = Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_P  # Ctrl+P

KIND_NAMES = {
    DocumentKind.ORDER_LABEL: QT_TRANSLATE_NOOP("Reprint", "repair-order label"),
    DocumentKind.RECEIVING_SLIP: QT_TRANSLATE_NOOP("Reprint", "receiving slip"),
    DocumentKind.WAYBILL_LABEL: QT_TRANSLATE_NOOP("Reprint", "waybill"),
    DocumentKind.PACKING_LIST: QT_TRANSLATE_NOOP("Reprint", "packing list"),
    DocumentKind.APOLOGY_LETTER: QT_TRANSLATE_NOOP("Reprint", "apology letter"),
    DocumentKind.TIMELINE: QT_TRANSLATE_NOOP("Reprint", "timeline"),
}


def kind_name(kind: DocumentKind) -> str:
    return QCoreApplication.translate("Reprint", KIND_NAMES[kind])


class Reprinter(QObject):
    """Installed on a list view; ``printed`` keeps (kind, number, answer) of each reprint.

    A view that shows its own actions on right click (``ActionsContextMenu``, e.g. "Correct the
    model…") keeps them: "Print again" joins them, with the row's documents as its submenu."""

    def __init__(self, view: QAbstractItemView, ctx: Context, choices: Choices, report: Report):
        super().__init__(view)
        self.view, self.ctx, self.choices, self.report = view, ctx, choices, report
        self.printed: list[tuple[DocumentKind, str, bool]] = []
        shortcut = QAction(QCoreApplication.translate("Reprint", "Print again"), view)
        shortcut.setObjectName("reprintAction")
        shortcut.setShortcut(QKeySequence(PRINT_AGAIN))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.triggered.connect(self.reprint_selected)
        self.menu: QMenu | None = None
        if view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu:
            submenu = QMenu(view)
            submenu.setObjectName("reprintMenu")
            submenu.aboutToShow.connect(lambda: self._fill(submenu, self.selected_row()))
            shortcut.setMenu(submenu)
            self.menu = submenu
        else:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(self._menu)
        view.addAction(shortcut)

    def _row_choices(self, row: int) -> Sequence[tuple[DocumentKind, str]]:
        try:
            return [(kind, number) for kind, number in self.choices(row) if number]
        except DomainError as error:  # the database is away: say so, print nothing
            self._refused(error)
            return []

    def _fill(self, menu: QMenu, row: int) -> None:
        """One action per document of ``row``."""
        menu.clear()
        for kind, number in self._row_choices(row) if row >= 0 else []:
            action = menu.addAction(
                QCoreApplication.translate("Reprint", "Print the {document} {number} again").format(
                    document=kind_name(kind), number=number
                )
            )
            action.triggered.connect(
                lambda _checked=False, kind=kind, number=number: self.reprint(kind, number)
            )

    def _menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        menu = QMenu(self.view)
        menu.setObjectName("reprintMenu")
        self._fill(menu, index.row())
        self.menu = menu
        menu.popup(self.view.viewport().mapToGlobal(position))

    def selected_row(self) -> int:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return rows[0].row() if rows else self.view.currentIndex().row()

    def reprint_selected(self) -> None:
        row = self.selected_row()
        choices = self._row_choices(row) if row >= 0 else []
        if choices:
            self.reprint(*choices[0])

    def reprint(self, kind: DocumentKind, number: str) -> None:
        ctx = self.ctx
        printer = pdf_print.role_printer(ROLE_OF[kind])
        size = pdf_print.label_stock() if ROLE_OF[kind] is PrinterRole.LABEL else None
        from app.documents.reprint import reprint  # with the first reprint, not at start-up

        BackgroundOp(
            self.view,
            lambda: reprint(
                ctx,
                kind,
                number,
                dpi=printer.dpi or 300,
                label_size=size,
                zpl=pdf_print.label_in_zpl(kind),
            ),
        ).success(lambda pdf: self._print(kind, number, pdf)).failure(
            self._refused
        ).run_in_background()

    def _refused(self, error: DomainError) -> None:
        from ui.i18n import domain_message

        self.report(Outcome.ERROR, domain_message(error))

    def _print(self, kind: DocumentKind, number: str, pdf: bytes) -> None:
        title = f"{kind_name(kind)} {number}"
        printed = pdf_print.send(pdf, title, kind)
        self.printed.append((kind, number, printed))
        if printed:
            self.report(
                Outcome.OK,
                QCoreApplication.translate("Reprint", "{title}: printed again.").format(
                    title=title
                ),
            )
        else:
            from ui.print_queue import print_queue

            print_queue(self.ctx).add(kind, number)
            self.report(
                Outcome.WARNING,
                QCoreApplication.translate(
                    "Reprint", "{title} not printed: no printer for it was found."
                ).format(title=title),
            )


NumberOf = Callable[[int], str | None]  # row -> the number it shows (None: no such row)


def reprint_orders(
    view: QAbstractItemView, ctx: Context, report: Report, order_no_of: NumberOf
) -> Reprinter:
    """Reprint on a list of orders: each row's label, slip, waybill, packing list, timeline."""

    def choices(row: int) -> Sequence[tuple[DocumentKind, str]]:
        from app.documents.reprint import documents_of_order  # when asked, not at start-up

        return documents_of_order(ctx, number) if (number := order_no_of(row)) else []

    return Reprinter(view, ctx, choices, report)


def reprint_complaints(
    view: QAbstractItemView, ctx: Context, report: Report, complaint_no_of: NumberOf
) -> Reprinter:
    """Reprint on a list of complaints: each row's apology letter and its orders' timelines."""

    def choices(row: int) -> Sequence[tuple[DocumentKind, str]]:
        from app.documents.reprint import documents_of_complaint

        return documents_of_complaint(ctx, number) if (number := complaint_no_of(row)) else []

    return Reprinter(view, ctx, choices, report)


def row_attribute(model: object, name: str) -> NumberOf:
    """``row -> model.row_object(row).<name>`` for the models of the lists (None past the end)."""

    def number(row: int) -> str | None:
        try:
            return getattr(model.row_object(row), name)  # type: ignore[attr-defined]
        except IndexError:
            return None

    return number
