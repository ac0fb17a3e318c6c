"""How the rack view (:mod:`ui.qc.rack_view`) paints: each cell's static texts laid out once as
``QStaticText`` with where its countdown goes, the fonts, metrics and pens made once, and the
painting of whole cells, of countdowns alone (a tick) and of the headers.

A cell: the slot code and its countdown on the first line (the countdown's head and its last
two characters drawn apart: a tick that changed only the seconds repaints only them), the order
number, then the model. Grey when free, white while aging, green with a bold first line once finished (sign it off).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QStaticText

from ui.qc.rack_model import Cell, RackModel, SlotState

MIN_CELL_WIDTH, MIN_CELL_HEIGHT = 150, 84
PAD = 6  # inside a cell; the chosen slot's frame (3 px) stays within it
GAP = 8  # between the slot code and its countdown
FILL = {
    SlotState.EMPTY: QColor("#e4e4e4"),
    SlotState.AGING: QColor("#ffffff"),
    SlotState.FINISHED: QColor("#b9e8c4"),
}
TEXT = {
    SlotState.EMPTY: QColor("#777777"),
    SlotState.AGING: QColor("#1f3f5b"),
    SlotState.FINISHED: QColor("#0b5d1e"),
}
LINES = QColor("#c4c4c4")  # the headers' edges
UNFOCUSED_FRAME = QColor("#8a8a8a")


def _static(text: str) -> QStaticText:
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    return static


class CellText:
    """What one cell draws, laid out for its state. The countdown is drawn in two pieces: its
    head (``1:23:``, changing once a minute) and its last two characters (the seconds), so
    that a tick which changed only the seconds repaints only them."""

    __slots__ = (
        "code",
        "countdown_x",
        "head",
        "head_text",
        "model",
        "order",
        "state",
        "tail",
        "tail_x",
    )

    def __init__(self, state: SlotState, code: QStaticText, countdown_x: int) -> None:
        self.state = state
        self.code = code
        self.countdown_x = countdown_x  # from the cell's left edge
        self.order: QStaticText | None = None  # None: a free slot
        self.model: QStaticText | None = None
        self.head_text = ""
        self.head = _static("")
        self.tail = _static("")
        self.tail_x = countdown_x


class RackLayout:
    """Sizes, fonts and each cell's laid-out texts, for one font."""

    def __init__(self, font: QFont) -> None:
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.metrics = QFontMetrics(self.font)
        self.bold_metrics = QFontMetrics(self.bold)
        self.line = max(self.metrics.lineSpacing(), self.bold_metrics.lineSpacing())
        self.cell_width = MIN_CELL_WIDTH
        self.cell_height = max(MIN_CELL_HEIGHT, 3 * self.line + 2 * PAD)
        self.top = (self.cell_height - 3 * self.line) // 2  # of the first line, in a cell
        self.header_height = self.metrics.height() + 8
        self.header_width = 24
        self.pens = {state: QPen(colour) for state, colour in TEXT.items()}
        self.cells: list[list[CellText]] = []
        self._tails: dict[tuple[str, bool], QStaticText] = {}  # "00".."59", laid out once

    def lay_out(self, model: RackModel) -> None:
        self.cells = [
            [self.cell_text(model, row, column) for column in range(len(model.row(row)))]
            for row in range(model.row_count())
        ]
        widest = max((self.metrics.horizontalAdvance(c) for c in model.rack_codes()), default=0)
        self.header_width = max(24, widest + 2 * PAD)

    def first_font(self, state: SlotState) -> QFont:
        """The first line's font (the code and countdown): bold once finished."""
        return self.bold if state is SlotState.FINISHED else self.font

    def cell_text(self, model: RackModel, row: int, column: int) -> CellText:
        slot = model.row(row)[column]
        state = model.state(row, column)
        first = self.bold_metrics if state is SlotState.FINISHED else self.metrics
        text = CellText(
            state, _static(slot.slot_code), PAD + first.horizontalAdvance(slot.slot_code) + GAP
        )
        if slot.order_no is not None:
            inner = self.cell_width - 2 * PAD
            elide = self.metrics.elidedText
            text.order = _static(elide(slot.order_no, Qt.TextElideMode.ElideMiddle, inner))
            text.model = _static(elide(slot.model or "", Qt.TextElideMode.ElideRight, inner))
            self.set_countdown(text, model.countdown(row, column))
        return text

    def set_countdown(self, text: CellText, countdown: str) -> bool:
        """Lay out a cell's new countdown; False when only its last two characters changed."""
        bold = text.state is SlotState.FINISHED
        tail = countdown[-2:]
        static = self._tails.get((tail, bold))
        if static is None:
            if len(self._tails) > 400:
                self._tails.clear()
            static = self._tails[tail, bold] = _static(tail)
        text.tail = static
        head = countdown[:-2]
        if head == text.head_text:
            return False
        metrics = self.bold_metrics if bold else self.metrics
        text.head_text, text.head = head, _static(head)
        text.tail_x = text.countdown_x + metrics.horizontalAdvance(head)
        return True

    def countdown_rect(self, x: int, y: int, text: CellText) -> QRect:
        """Where a cell at (x, y) draws its countdown: the most a tick repaints of it."""
        left = x + text.countdown_x
        return QRect(left, y + self.top, x + self.cell_width - PAD - left, self.line)

    def tail_rect(self, x: int, y: int, text: CellText) -> QRect:
        """Where a cell at (x, y) draws its countdown's last two characters (the seconds)."""
        left = x + text.tail_x
        return QRect(left, y + self.top, x + self.cell_width - PAD - left, self.line)

    def paint_countdowns(
        self,
        painter: QPainter,
        left: int,
        top: int,
        cells: Iterable[Cell],
        *,
        tails_only: bool,
    ) -> None:
        """A tick: each countdown (or only its last two characters) filled and drawn anew."""
        drawn: SlotState | None = None
        width, height, line, first = self.cell_width, self.cell_height, self.line, self.top
        right = width - PAD
        for row, column in cells:
            text = self.cells[row][column]
            x, y = left + column * width, top + row * height
            if text.state is not drawn:
                drawn = text.state
                painter.setPen(self.pens[drawn])
                painter.setFont(self.first_font(drawn))
            start = text.tail_x if tails_only else text.countdown_x
            painter.fillRect(x + start, y + first, right - start, line, FILL[drawn])
            if not tails_only:
                painter.drawStaticText(x + text.countdown_x, y + first, text.head)
            painter.drawStaticText(x + text.tail_x, y + first, text.tail)

    def paint_cells(self, painter: QPainter, left: int, top: int, cells: Iterable[Cell]) -> None:
        """Whole cells: the fill (a line of the background left between cells), the texts."""
        width, height, line, first = self.cell_width, self.cell_height, self.line, self.top
        font: QFont | None = None
        for row, column in cells:
            text = self.cells[row][column]
            x, y = left + column * width, top + row * height
            painter.fillRect(x, y, width - 1, height - 1, FILL[text.state])
            painter.setPen(self.pens[text.state])
            if self.first_font(text.state) is not font:
                font = self.first_font(text.state)
                painter.setFont(font)
            if text.order is None or text.model is None:  # a free slot: its code, in the middle
                painter.drawStaticText(x + PAD, y + (height - line) // 2, text.code)
                continue
            painter.drawStaticText(x + PAD, y + first, text.code)
            painter.drawStaticText(x + text.countdown_x, y + first, text.head)
            painter.drawStaticText(x + text.tail_x, y + first, text.tail)
            if font is not self.font:
                font = self.font
                painter.setFont(font)
            painter.drawStaticText(x + PAD, y + first + line, text.order)
            painter.drawStaticText(x + PAD, y + first + 2 * line, text.model)

    def paint_frame(self, painter: QPainter, rect: QRect, colour: QColor) -> None:
        """The chosen slot's frame, inside its cell (clear of the countdown's rectangle)."""
        pen = QPen(colour, 3)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(1, 1, -3, -3))

    def paint_headers(
        self,
        painter: QPainter,
        model: RackModel,
        palette: QPalette,
        view: QRect,
        left: int,
        top: int,
    ) -> None:
        """The slot numbers along the top and the rack codes down the left side."""
        header_width, header_height = self.header_width, self.header_height
        painter.setFont(self.font)
        button = palette.button().color()
        painter.fillRect(0, 0, view.width(), header_height, button)
        painter.fillRect(0, header_height, header_width, view.height(), button)
        painter.setPen(palette.buttonText().color())
        center = Qt.AlignmentFlag.AlignCenter
        painter.setClipRect(QRect(header_width, 0, view.width(), header_height))
        for column in range(model.column_count()):
            x = left + column * self.cell_width
            if x + self.cell_width > header_width and x < view.width():
                painter.drawText(
                    QRect(x, 0, self.cell_width, header_height), center, str(column + 1)
                )
        painter.setClipRect(QRect(0, header_height, header_width, view.height()))
        for row, code in enumerate(model.rack_codes()):
            y = top + row * self.cell_height
            if y + self.cell_height > header_height and y < view.height():
                painter.drawText(QRect(0, y, header_width, self.cell_height), center, code)
        painter.setClipping(False)
        painter.setPen(LINES)
        painter.drawLine(0, header_height - 1, view.width(), header_height - 1)
        painter.drawLine(header_width - 1, 0, header_width - 1, view.height())
