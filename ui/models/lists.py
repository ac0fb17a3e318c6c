"""Small tables held whole in memory (users, counts per state): a few dozen rows at most.

``load`` runs on the read worker (``ui.ops.ListRead``), so it must be a plain function of plain
data (a context, a filter), never hold a widget or a model: what it needs from the widgets
(a search text, a check box) ``args()`` reads in the UI thread at each reload, and ``load`` gets
it as arguments. The rows shown stay until the new ones come; a result a newer reload overtook is
dropped. ``in_memory=True``: ``load`` reads what the
UI already holds (no query) and runs at once, in the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal

from app.errors import DomainError
from ui.models.paged import (
    ALIGN_LEFT,
    ALIGN_RIGHT,
    ALIGNMENT_ROLE,
    COLUMNS_CONTEXT,
    DISPLAY_ROLE,
    Column,
    Index,
)
from ui.ops import ListRead, note_loading, read_timer


class ListTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)

    def __init__(
        self,
        columns: Sequence[Column],
        load: Callable[..., Sequence[Any]],
        *,
        tables: frozenset[str] = frozenset(),
        parent: Any = None,
        args: Callable[[], tuple[Any, ...]] | None = None,
        in_memory: bool = False,
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.tables = tables
        self._load = load
        self._args = args or tuple
        self._in_memory = in_memory
        self._rows: list[Any] = []
        self._generation = 0
        self._loading = False
        self._read_timer = read_timer(self, self._start_read)
        self.refresh()

    @property
    def loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        """Reload: on the read worker once the UI thread is back in its event loop (several
        reloads asked for meanwhile make one read); at once when ``in_memory``."""
        self._generation += 1
        if self._in_memory:
            self._loaded(self._generation, list(self._load(*self._args())))
            return
        self._set_loading(True)
        self._read_timer.start()

    def _start_read(self) -> None:
        generation, load, args = self._generation, self._load, self._args()
        ListRead(self, lambda: list(load(*args))).success(
            lambda rows: self._loaded(generation, rows)
        ).failure(lambda error: self._refused(generation, error)).run_in_background()

    def _loaded(self, generation: int, rows: list[Any] | None) -> None:
        if generation != self._generation:  # a newer reload was asked for: this one is stale
            return
        if rows is not None:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        self._set_loading(False)

    def _refused(self, generation: int, error: DomainError) -> None:
        self._loaded(generation, None)
        if generation == self._generation:
            from ui.widgets.feedback import show_domain_error

            show_domain_error(None, error)

    def _set_loading(self, loading: bool) -> None:
        note_loading(self, loading)
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def refresh_if_changed(self, tables: frozenset[str]) -> None:
        if tables & self.tables:
            self.refresh()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        number = index.row()
        if number < 0 or number >= len(self._rows):  # an invalid index has row -1
            return None
        if role == DISPLAY_ROLE:
            return self.columns[index.column()].display(self._rows[number])
        if role == ALIGNMENT_ROLE:
            return ALIGN_RIGHT if self.columns[index.column()].align_right else ALIGN_LEFT
        return None

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
