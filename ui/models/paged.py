"""A table model over a query that grows: it holds the rows loaded so far and asks the core for
the next page as the view scrolls (``canFetchMore``/``fetchMore``). Sorting is done by SQL.

Subclasses give the columns and a ``reader()``: plain data with two queries, ``count()`` and
``page(offset, limit, sort_key, descending)``; they may colour cells through ``cell_role()``.

A (re)load runs on the read worker (``ui.ops.ListRead``), never on the UI thread: the rows shown
stay until the new ones come, ``loading`` says one is under way, and a result that a newer reload
has overtaken is dropped. Only the next page as the view scrolls is read in the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.errors import DomainError
from ui.ops import ListRead, note_loading, read_timer

PAGE_SIZE = 200
COLUMNS_CONTEXT = "Columns"
# A view asks data() for some ten roles of every cell it paints, with the role as a plain int;
# compared with ints and built once (an enum's comparison or OR costs microseconds in Python).
DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# What ``cell_role`` may answer; any other role (font, decoration, check state, size...) is None
# without looking at the row.
CELL_ROLES = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)
NO_FLAGS = Qt.ItemFlag.NoItemFlags

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """``header`` is English source text marked ``QT_TRANSLATE_NOOP("Columns", ...)``."""

    header: str
    display: Callable[[Any], str]
    sort_key: str | None = None
    align_right: bool = False


class PageReader(Protocol):
    """What a model reads, as plain data: called in the read worker's thread."""

    def count(self) -> int: ...

    def page(self, offset: int, limit: int, sort_key: str, descending: bool) -> Sequence[Any]: ...


def read_first_pages(
    reader: PageReader, keep: int, sort_key: str, descending: bool
) -> tuple[int, list[Any]]:
    """The count and the first ``keep`` rows (in the read worker: ``reader`` is plain data)."""
    total = reader.count()
    rows = list(reader.page(0, min(keep, total), sort_key, descending)) if total > 0 else []
    return max(total, len(rows)), rows


class PagedTableModel(QAbstractTableModel):
    columns: Sequence[Column] = ()
    # Tables whose changes make this model reload (names from the change broadcast).
    tables: frozenset[str] = frozenset()
    cell_roles: frozenset[int] = CELL_ROLES  # a subclass colouring with another role adds it
    loading_changed = Signal(bool)

    def __init__(
        self, *, sort_key: str, descending: bool, parent: Any = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._total = 0
        self._page_size = page_size
        self._sort_key = sort_key
        self._descending = descending
        self._generation = 0  # of the newest reload asked for
        self._loading = False
        self._read_timer = read_timer(self, self._start_read)

    # The queries; subclasses call the core here.
    def reader(self) -> PageReader:
        """What to read now, as plain data (no Qt object: it goes to the read worker)."""
        raise NotImplementedError

    def cell_role(self, row: Any, column: Column, role: int) -> Any:
        """Colours and tooltips (``cell_roles``) for one cell; None for the default."""
        return None

    # Loading
    @property
    def loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        """Reload from the database on the read worker, keeping as many rows as were loaded
        (scroll position); the rows shown stay until the new ones come. The read starts once
        the UI thread is back in its event loop (a tab being built is built first, without a
        worker beside it), and several reloads asked for meanwhile make one read."""
        self._generation += 1
        self._set_loading(True)
        self._read_timer.start()

    def _start_read(self) -> None:
        keep = max(len(self._rows), self._page_size)
        reader, sort_key, descending = self.reader(), self._sort_key, self._descending
        generation = self._generation
        ListRead(self, lambda: read_first_pages(reader, keep, sort_key, descending)).success(
            lambda result: self._loaded(generation, result)
        ).failure(lambda error: self._refused(generation, error)).run_in_background()

    def _refused(self, generation: int, error: DomainError) -> None:
        """The read was refused (e.g. the person's rights changed): keep what is shown, say why."""
        self._loaded(generation, None)
        if generation == self._generation:
            from ui.widgets.feedback import show_domain_error

            show_domain_error(None, error)

    def _loaded(self, generation: int, result: tuple[int, list[Any]] | None) -> None:
        if generation != self._generation:  # a newer reload was asked for: this one is stale
            return
        if result is not None:
            self.beginResetModel()
            self._total, self._rows = result
            self.endResetModel()
        self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        note_loading(self, loading)
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        if tables & self.tables:
            self.refresh()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        offset = len(self._rows)
        limit = min(self._page_size, self._total - offset)
        if limit <= 0:
            return
        more = list(self.reader().page(offset, limit, self._sort_key, self._descending))
        if not more:
            self._total = offset  # rows were deleted meanwhile: stop asking
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    # Reading
    @property
    def total(self) -> int:
        return self._total

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        if role != DISPLAY_ROLE and role != ALIGNMENT_ROLE and role not in self.cell_roles:
            return None
        number = index.row()
        if number < 0 or number >= len(self._rows):  # an invalid index has row -1
            return None
        row = self._rows[number]
        column = self.columns[index.column()]
        if role == DISPLAY_ROLE:
            return column.display(row)
        if role == ALIGNMENT_ROLE:
            return ALIGN_RIGHT if column.align_right else ALIGN_LEFT
        return self.cell_role(row, column, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return QCoreApplication.translate(COLUMNS_CONTEXT, self.columns[section].header)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else NO_FLAGS

    # Sorting (by SQL)
    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(self.columns) and self.columns[column].sort_key is not None

    def sort_column(self) -> int:
        for number, column in enumerate(self.columns):
            if column.sort_key == self._sort_key:
                return number
        return -1

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.is_sortable(column):
            return
        sort_key = self.columns[column].sort_key
        assert sort_key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort_key, descending) == (self._sort_key, self._descending):
            return
        self._sort_key, self._descending = sort_key, descending
        self.refresh()
