"""The tool bar's search field: results as you type, best match first; Enter opens the timeline
(or, for a serial / IMEI, the unit view: every order of the unit).

Typing restarts a 200 ms timer; when it fires the query runs off the UI thread (BackgroundOp)
and only the answer to the latest text is shown (an older answer arriving late is dropped). The
results float under the field in a frameless tool window that never takes the focus, so the
clerk keeps typing; Up / Down pick a row, Enter opens the picked (or best) order, Escape closes.
A scanner's scan (the code, then Enter) works the same: Enter before the timer fires runs the
search at once and opens the best match.

The window shows the field only: the results' list (and its reprint, with the printing it
imports) is built with the first answer, not before the window shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QWidget

from app.context import Context
from app.localtime import DATE, local_text
from ui.i18n import state_label, tr_app
from ui.ops import BackgroundOp

if TYPE_CHECKING:  # imported with the first answer (the results' list), not at start-up
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QTableView

    from app.search.hits import Hit
    from ui.reprint import Reprinter

DEBOUNCE_MS = 200
RESULT_LIMIT = 20

_Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractTableModel):
    COLUMNS = ("kind", "order_no", "state", "serial", "model", "customer")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[Hit] = []

    def set_hits(self, hits: list[Hit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Found by"),
            self.tr("Order"),
            self.tr("State"),
            self.tr("Serial / IMEI"),
            self.tr("Model"),
            self.tr("Customer"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        column = self.COLUMNS[index.column()]
        if hit.watched_until is not None and column == "customer":
            # The watch after a complaint (seed 000): the customer's cell in red, with its end.
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor("#b00020")
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("white")
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Under watch after a complaint until {date}").format(
                    date=local_text(hit.watched_until, DATE)
                )
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "kind":
            from app.search.hits import MATCH_LABELS  # imported by the search already

            return f"{tr_app(MATCH_LABELS[hit.kind])}: {hit.matched}"
        if column == "order_no":
            return hit.order_no or hit.part_name
        if column == "state":
            return state_label(hit.state) if hit.state else ""
        if column == "customer":
            text = f"{hit.customer} {hit.phone}".strip()
            if hit.watched_until is not None:
                return self.tr("⚠ {customer} · under watch").format(customer=text)
            return text
        return getattr(hit, column)


class SearchField(QLineEdit):
    """Emits ``order_chosen(order_id)`` when Enter picks an order, ``unit_chosen(serial)`` when
    it picks a hit found by its serial or IMEI (a unit's whole story, not one order's)."""

    order_chosen = Signal(int)
    unit_chosen = Signal(str)
    # The results' list, made with the first answer (``results``); None until then, also for
    # the events QLineEdit sends while it is being made.
    _results: QTableView | None = None

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSearch")
        self.ctx = ctx
        self.setPlaceholderText(
            self.tr("Search: order, serial, phone, name, waybill, part (Ctrl+F)")
        )
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(320)
        self.model = SearchResultsModel(self)
        self.reprinter: Reprinter | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self._asked = ""  # the text of the newest query sent
        self._answered = ""  # the text the shown results answer
        self._open_when_answered = False
        self.textEdited.connect(self._edited)

    @property
    def results(self) -> QTableView:
        """The list floating under the field, made the first time it is needed."""
        if self._results is None:
            self._results = self._build_results()
        return self._results

    def _build_results(self) -> QTableView:
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

        from ui.reprint import reprint_orders

        results = QTableView(self.window())
        results.setObjectName("searchResults")
        results.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint)
        results.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        results.setModel(self.model)
        results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        results.verticalHeader().setVisible(False)
        results.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        results.clicked.connect(lambda index: self._open_row(index.row()))
        # A found order's documents print again from its row (right click, or Ctrl+P here).
        self.reprinter = reprint_orders(results, self.ctx, self._report, self._order_no_of)
        return results

    def _hide_results(self) -> None:
        if self._results is not None:  # never shown: nothing to hide, nothing to build
            self._results.hide()

    # Typing
    def _edited(self, _text: str) -> None:
        self._open_when_answered = False
        self._timer.start()

    def _run(self) -> None:
        text = self.text().strip()
        self._asked = text
        if not text:
            self._answer(text, [])
            return
        ctx = self.ctx

        def find() -> list[Hit]:
            from app.search.find import search  # on the read worker, with the first search

            return search(ctx, text, RESULT_LIMIT)

        BackgroundOp(self, find).success(lambda hits: self._answer(text, hits)).run_in_background()

    def _answer(self, text: str, hits: list[Hit]) -> None:
        if text != self._asked:
            return  # an older query answered late
        self._answered = text
        self.model.set_hits(hits)
        if hits:
            self.results.selectRow(0)
            self._show_results()
        else:
            self.results.hide()
        if self._open_when_answered:
            self._open_when_answered = False
            self._open_row(0)

    def _show_results(self) -> None:
        below = self.mapToGlobal(QPoint(0, self.height()))
        self.results.move(below)
        self.results.resize(max(self.width() * 2, 720), 28 + 24 * min(10, len(self.model.hits)))
        self.results.show()

    # Keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_chosen()
        elif key == Qt.Key.Key_Escape:
            self._hide_results()
        elif self.reprinter is not None and self.model.hits and self._prints_again(event):
            self.reprinter.reprint_selected()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.hits:
            row = self.results.currentIndex().row()
            row += 1 if key == Qt.Key.Key_Down else -1
            self.results.selectRow(max(0, min(len(self.model.hits) - 1, row)))
        else:
            super().keyPressEvent(event)

    @staticmethod
    def _prints_again(event: QKeyEvent) -> bool:
        """Ctrl+P. Asked only once the results' reprint is made, which imported it: a look-up in
        the modules already imported, not an import per key."""
        from ui.reprint import PRINT_AGAIN

        return event.keyCombination() == PRINT_AGAIN

    def open_chosen(self) -> None:
        """Enter: the selected row if the results answer this text, else search now and open
        the best match (a scanner types faster than the debounce)."""
        text = self.text().strip()
        if text and text == self._answered and self.model.hits:
            self._open_row(max(0, self.results.currentIndex().row()))
            return
        self._timer.stop()
        self._open_when_answered = True
        self._run()

    def _open_row(self, row: int) -> None:
        if not 0 <= row < len(self.model.hits):
            return
        hit = self.model.hits[row]
        if hit.order_id is None:
            return
        self._hide_results()
        from app.search.hits import MatchKind  # imported by the search already

        if hit.kind in (MatchKind.SERIAL, MatchKind.OLD_SERIAL):
            self.unit_chosen.emit(hit.matched)
        else:
            self.order_chosen.emit(hit.order_id)

    def _order_no_of(self, row: int) -> str | None:
        hits = self.model.hits
        return hits[row].order_no or None if 0 <= row < len(hits) else None

    def _report(self, _outcome: object, text: str) -> None:
        """A reprint's answer, on the window's status bar (the results have no message line)."""
        window = self.window()
        status = getattr(window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 10_000)

    def focus_and_select(self) -> None:
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.selectAll()

    def event(self, event: QEvent) -> bool:
        results = self._results
        if (
            event.type() == QEvent.Type.FocusOut
            and results is not None
            and not results.underMouse()
        ):
            results.hide()
        return super().event(event)
