"""The tool bar's search field: results as you type, best match first; Enter opens the timeline
(or, for a serial / IMEI, the unit view: every order of the unit).

Typing restarts a 200 ms timer; when it fires the query runs off the UI thread (BackgroundOp)
and only the answer to the latest text is shown (an older answer arriving late is dropped). The
results float under the field in a frameless tool window that never takes the focus, so the
clerk keeps typing; Up / Down pick a row, Enter opens the picked (or best) order, Escape closes.
A scanner's scan (the code, then Enter) works the same: Enter before the timer fires runs the
search at once and opens the best match.
"""

from __future__ import annotations

from typing import Any

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
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView, QWidget

from app.context import Context
from app.localtime import DATE, local_text
from app.search.hits import MATCH_LABELS, Hit, MatchKind
from ui.i18n import state_label, tr_app
from ui.ops import BackgroundOp
from ui.reprint import PRINT_AGAIN, reprint_orders

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
        self.results = QTableView(self.window())
        self.results.setObjectName("searchResults")
        self.results.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint)
        self.results.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().setVisible(False)
        self.results.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.results.clicked.connect(lambda index: self._open_row(index.row()))
        # A found order's documents print again from its row (right click, or Ctrl+P here).
        self.reprinter = reprint_orders(self.results, ctx, self._report, self._order_no_of)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self._asked = ""  # the text of the newest query sent
        self._answered = ""  # the text the shown results answer
        self._open_when_answered = False
        self.textEdited.connect(self._edited)

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
            self.results.hide()
        elif event.keyCombination() == PRINT_AGAIN and self.model.hits:
            self.reprinter.reprint_selected()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.hits:
            row = self.results.currentIndex().row()
            row += 1 if key == Qt.Key.Key_Down else -1
            self.results.selectRow(max(0, min(len(self.model.hits) - 1, row)))
        else:
            super().keyPressEvent(event)

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
        self.results.hide()
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
        if event.type() == QEvent.Type.FocusOut and not self.results.underMouse():
            self.results.hide()
        return super().event(event)
