"""Table models of the administration tab: one catalogue's rows, and the audit log (paged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.admin import audit_log as audit_view
from app.admin import catalogs
from app.admin.audit_log import AuditFilter, AuditRow
from app.admin.catalogs import Catalog, CatalogRow
from app.audit_actions import action_label
from app.context import Context
from app.errors import DomainError
from ui.i18n import format_time, tr_app
from ui.models.paged import Column, Index, PagedTableModel
from ui.ops import ListRead, note_loading, read_timer

INACTIVE_COLOUR = QColor("#8a8a8a")


class CatalogTableModel(QAbstractTableModel):
    """The rows of one catalogue (a few hundred at most), filtered by a search text; read on the
    read worker (the rows shown stay until the new ones come; a read overtaken is dropped)."""

    def __init__(self, ctx: Context, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.catalog = catalog
        self.search = ""
        self._rows: list[CatalogRow] = []
        self._generation = 0
        self._read_timer = read_timer(self, self._start_read)
        self.refresh()

    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.refresh()

    def set_search(self, text: str) -> None:
        self.search = text
        self.refresh()

    def refresh(self) -> None:
        """Read the rows again, on the read worker, once the event loop turns."""
        self._generation += 1
        note_loading(self, True)
        self._read_timer.start()

    def _start_read(self) -> None:
        ctx, catalog, search, generation = self.ctx, self.catalog, self.search, self._generation
        ListRead(self, lambda: catalogs.rows(ctx, catalog, search)).success(
            lambda rows: self._loaded(generation, rows)
        ).failure(lambda error: self._refused(generation, error)).run_in_background()

    def _loaded(self, generation: int, rows: list[CatalogRow] | None) -> None:
        if generation != self._generation:  # a newer read was asked for: this one is stale
            return
        if rows is not None:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        note_loading(self, False)

    def _refused(self, generation: int, error: DomainError) -> None:
        self._loaded(generation, None)
        if generation == self._generation:
            from ui.widgets.feedback import show_domain_error

            show_domain_error(None, error)

    def row_object(self, row: int) -> CatalogRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.catalog.fields) + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == len(self.catalog.fields):
                return (
                    QCoreApplication.translate("AdminTab", "active")
                    if row.active
                    else QCoreApplication.translate("AdminTab", "inactive")
                )
            field = self.catalog.fields[index.column()]
            text = field.text(row.values.get(field.name))
            if field.kind is catalogs.Kind.BOOL:
                return (
                    QCoreApplication.translate("AdminTab", "yes")
                    if row.values.get(field.name)
                    else QCoreApplication.translate("AdminTab", "no")
                )
            return text
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return INACTIVE_COLOUR
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == len(self.catalog.fields):
            return QCoreApplication.translate("AdminTab", "Status")
        if 0 <= section < len(self.catalog.fields):
            return tr_app(self.catalog.fields[section].label)
        return None


AUDIT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Time"), lambda r: format_time(r.at), "at"),
    Column(QT_TRANSLATE_NOOP("Columns", "User"), lambda r: r.username, "username"),
    Column(QT_TRANSLATE_NOOP("Columns", "Station"), lambda r: r.station, "station"),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Action"), lambda r: tr_app(action_label(r.action)), "action"
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Object"),
        lambda r: f"{r.entity} {r.entity_id or ''}".strip(),
        "entity",
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Repair order"), lambda r: r.order_no or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Before"), lambda r: audit_view.changes_text(r.before)),
    Column(QT_TRANSLATE_NOOP("Columns", "After"), lambda r: audit_view.changes_text(r.after)),
    Column(QT_TRANSLATE_NOOP("Columns", "Detail"), lambda r: r.detail or ""),
)


@dataclass(frozen=True)
class AuditPages:
    """The audit rows ``where`` selects: read in the read worker (plain data, no Qt object)."""

    ctx: Context
    where: AuditFilter

    def count(self) -> int:
        return audit_view.count(self.ctx, self.where)

    def page(self, offset: int, limit: int, sort_key: str, descending: bool) -> Sequence[AuditRow]:
        return audit_view.page(self.ctx, self.where, offset, limit, sort_key, descending)


class AuditTableModel(PagedTableModel):
    columns = AUDIT_COLUMNS
    tables = frozenset({"audit_log"})

    def __init__(self, ctx: Context, parent: Any = None) -> None:
        super().__init__(sort_key="at", descending=True, parent=parent)
        self.ctx = ctx
        self.where = AuditFilter()
        self.refresh()

    def set_filter(self, where: AuditFilter) -> None:
        self.where = where
        self.refresh()

    def reader(self) -> AuditPages:
        return AuditPages(self.ctx, self.where)
