"""The aging racks painted by one widget: a rack per row (its code at the left), a slot per cell,
the slot numbers on top. Each cell shows the slot's code and countdown, the order number and
the model: grey when free, white while aging, green and bold once finished.

Everything is painted from plain Python state kept with the layout (each cell's static texts
as ``QStaticText``, where its countdown goes, the colours and fonts made once): on a tick the
model names the cells whose text changed and only their countdown rectangles are repainted
(the whole cell when its state, and so its colours, changed). Arrows, Home/End and a click
choose a slot; Enter or a double click opens it; the tool tip and the accessible description
tell the slot in words.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from ui.qc.rack_model import Cell, RackModel
from ui.qc.rack_paint import PAD, UNFOCUSED_FRAME, RackLayout


class RackView(QAbstractScrollArea):
    """The grid; arrows move between slots, Enter (or a double click) opens the slot's unit."""

    slot_activated = Signal(object)  # SlotView of an occupied slot
    current_changed = Signal()

    def __init__(self, model: RackModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qcRackView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Aging racks"))
        self._model = model
        self._current: Cell | None = None
        self._chosen_slot: int | None = None  # its slot id: kept when the slots are read again
        self._layout = RackLayout(self.font())
        model.reset.connect(self._reset)
        model.cells_changed.connect(self._cells_changed)
        self._reset()

    def rack_model(self) -> RackModel:
        return self._model

    # Layout
    def _reset(self) -> None:
        self._layout.lay_out(self._model)
        chosen = self._chosen_slot  # (the model holds the new slots already)
        self._current = None if chosen is None else self._model.cell_of_slot(chosen)
        if self._current is None:
            self._chosen_slot = None
        self._update_scroll_bars()
        self._describe_current()
        self.viewport().update()

    def _update_scroll_bars(self) -> None:
        layout, size = self._layout, self.viewport().size()
        width = layout.header_width + self._model.column_count() * layout.cell_width
        height = layout.header_height + self._model.row_count() * layout.cell_height
        for bar, total, page, step in (
            (self.horizontalScrollBar(), width, size.width(), layout.cell_width),
            (self.verticalScrollBar(), height, size.height(), layout.cell_height),
        ):
            bar.setRange(0, max(0, total - page))
            bar.setPageStep(page)
            bar.setSingleStep(max(1, step // 3))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scroll_bars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()  # the headers stay put: paint it all again

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._layout = RackLayout(self.font())
            self._reset()
        elif event.type() == QEvent.Type.PaletteChange:
            self.viewport().update()

    # Geometry (viewport coordinates)
    def _origin(self) -> tuple[int, int]:
        """Where cell (0, 0) is drawn, scrolled."""
        return (
            self._layout.header_width - self.horizontalScrollBar().value(),
            self._layout.header_height - self.verticalScrollBar().value(),
        )

    def cell_rect(self, cell: Cell) -> QRect:
        """Where a cell is drawn in the viewport (it may be scrolled out of sight)."""
        (left, top), layout = self._origin(), self._layout
        width, height = layout.cell_width, layout.cell_height
        return QRect(left + cell[1] * width, top + cell[0] * height, width, height)

    def countdown_rect(self, cell: Cell) -> QRect:
        """The part of a cell that a tick repaints when its countdown's head changed."""
        rect = self.cell_rect(cell)
        return self._layout.countdown_rect(rect.x(), rect.y(), self._layout.cells[cell[0]][cell[1]])

    def tail_rect(self, cell: Cell) -> QRect:
        """The part of a cell that a tick repaints when only its countdown's seconds changed."""
        rect = self.cell_rect(cell)
        return self._layout.tail_rect(rect.x(), rect.y(), self._layout.cells[cell[0]][cell[1]])

    def cell_at(self, point: QPoint) -> Cell | None:
        """The slot's cell under a point of the viewport (None off the slots, or on a header)."""
        layout = self._layout
        if point.x() < layout.header_width or point.y() < layout.header_height:
            return None
        left, top = self._origin()
        column, row = (
            (point.x() - left) // layout.cell_width,
            (point.y() - top) // layout.cell_height,
        )
        return (row, column) if self._model.slot_at(row, column) is not None else None

    # The tick
    def _cells_changed(self, cells: list[Cell]) -> None:
        """Repaint what a tick changed: a countdown's seconds, or all of it when its head changed
        too; a whole cell that changed state (colours, fonts)."""
        viewport, model, layout = self.viewport(), self._model, self._layout
        width, height = viewport.width(), viewport.height()
        left, top = self._origin()
        cell_width, cell_height, first, line = (
            layout.cell_width,
            layout.cell_height,
            layout.top,
            layout.line,
        )
        for row, column in cells:
            text = layout.cells[row][column]
            whole = model.state(row, column) is not text.state
            if whole:
                text = layout.cells[row][column] = layout.cell_text(model, row, column)
                if (row, column) == self._current:
                    self._describe_current()
                start = 0
            else:
                head = layout.set_countdown(text, model.countdown(row, column))
                start = text.countdown_x if head else text.tail_x
            x, y = left + column * cell_width, top + row * cell_height
            if x >= width or y >= height or x + cell_width <= 0 or y + cell_height <= 0:
                continue  # scrolled out of sight
            if whole:
                viewport.update(x, y, cell_width, cell_height)
            else:
                viewport.update(x + start, y + first, cell_width - PAD - start, line)

    # Painting
    def paintEvent(self, event: QPaintEvent) -> None:
        """Each rectangle to paint is a countdown or its seconds alone (a tick), or whole cells
        and the headers."""
        layout = self._layout
        cells, cell_width, cell_height = layout.cells, layout.cell_width, layout.cell_height
        first, line, right = layout.top, layout.line, cell_width - PAD
        left, top = self._origin()
        whole: set[Cell] = set()
        countdowns: list[Cell] = []
        tails: list[Cell] = []
        backgrounds: list[QRect] = []
        for rect in event.region():  # type: ignore[attr-defined]  # (iterable in PySide6)
            x, y, w, h = rect.getRect()
            first_column = (x - left) // cell_width
            last_column = (x + w - 1 - left) // cell_width
            first_row, last_row = (y - top) // cell_height, (y + h - 1 - top) // cell_height
            cell = (first_row, first_column)
            if cell == (last_row, last_column) and 0 <= first_row < len(cells):
                if 0 <= first_column < len(cells[first_row]):
                    text = cells[first_row][first_column]
                    x -= left + first_column * cell_width  # in the cell
                    y -= top + first_row * cell_height
                    if y >= first and y + h <= first + line and x + w <= right:
                        if x >= text.tail_x:
                            tails.append(cell)
                            continue
                        if x >= text.countdown_x:
                            countdowns.append(cell)
                            continue
            backgrounds.append(rect)
            for row in range(max(first_row, 0), min(last_row + 1, len(cells))):
                columns = range(max(first_column, 0), min(last_column + 1, len(cells[row])))
                whole.update((row, column) for column in columns)
        viewport = self.viewport()
        painter = QPainter(viewport)
        base = self.palette().window().color()
        for rect in backgrounds:
            painter.fillRect(rect, base)
        painter.setClipRect(
            QRect(layout.header_width, layout.header_height, viewport.width(), viewport.height())
        )
        if whole:
            layout.paint_cells(painter, left, top, whole)
            tails = [cell for cell in tails if cell not in whole]
            countdowns = [cell for cell in countdowns if cell not in whole]
        layout.paint_countdowns(painter, left, top, countdowns, tails_only=False)
        layout.paint_countdowns(painter, left, top, tails, tails_only=True)
        if self._current in whole:
            colour = self.palette().highlight().color() if self.hasFocus() else UNFOCUSED_FRAME
            layout.paint_frame(painter, self.cell_rect(self._current), colour)
        painter.setClipping(False)
        if backgrounds:
            layout.paint_headers(painter, self._model, self.palette(), viewport.rect(), left, top)
        painter.end()

    # Choosing a slot
    def current_cell(self) -> Cell | None:
        return self._current

    def select_cell(self, cell: Cell | None) -> None:
        """Choose a slot's cell and scroll it into sight (None, or no slot there: no change)."""
        if cell is None or self._model.slot_at(*cell) is None:
            return
        previous, self._current = self._current, cell
        self._chosen_slot = self._model.row(cell[0])[cell[1]].slot_id
        for changed in (previous, cell):
            if changed is not None:
                self.viewport().update(self.cell_rect(changed))
        self._scroll_to(cell)
        if previous != cell:
            self._describe_current()
            self.current_changed.emit()

    def _scroll_to(self, cell: Cell) -> None:
        rect, size, layout = self.cell_rect(cell), self.viewport().size(), self._layout
        horizontal = (rect.left(), rect.right(), layout.header_width, size.width())
        vertical = (rect.top(), rect.bottom(), layout.header_height, size.height())
        for bar, (start, end, first, page) in (
            (self.horizontalScrollBar(), horizontal),
            (self.verticalScrollBar(), vertical),
        ):
            if start < first:
                bar.setValue(bar.value() - (first - start))
            elif end >= page:
                bar.setValue(bar.value() + min(end - page + 1, start - first))

    def _describe_current(self) -> None:
        cell = self._current
        if cell is None:
            text = self.tr("Arrows choose a slot, Enter signs its unit off")
        else:
            text = self._model.describe(*cell)
        if text != self.accessibleDescription():
            self.setAccessibleDescription(text)  # (tells a screen reader)

    def activate(self, cell: Cell | None = None) -> None:
        """Open a slot's unit (the chosen slot by default): ``slot_activated`` when occupied."""
        cell = self._current if cell is None else cell
        slot = None if cell is None else self._model.slot_at(*cell)
        if slot is not None and slot.order_id is not None:
            self.slot_activated.emit(slot)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activate()
            event.accept()
            return
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        rows = self._model.row_count()
        if key not in (*moves, Qt.Key.Key_Home, Qt.Key.Key_End) or rows == 0:
            super().keyPressEvent(event)
            return
        row, column = self._current or (0, 0)
        if self._current is not None and key in moves:
            row = min(max(row + moves[key][0], 0), rows - 1)
            column += moves[key][1]
        elif key == Qt.Key.Key_Home:
            column = 0
        elif key == Qt.Key.Key_End:
            column = len(self._model.row(row)) - 1
        column = min(max(column, 0), len(self._model.row(row)) - 1)
        self.select_cell((row, column))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select_cell(cell)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select_cell(cell)
            self.activate(cell)
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if self._current is not None:
            self.viewport().update(self.cell_rect(self._current))

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._current is not None:
            self.viewport().update(self.cell_rect(self._current))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            tip = "" if cell is None else self._model.tool_tip(*cell)
            if cell is not None and tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport(), self.cell_rect(cell))
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)
