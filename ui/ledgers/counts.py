"""The ledgers tab's orders by state: one row per state, read on the read worker (the order
tables are mapped with this part, not with the tab's frame)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.context import Context
from app.orders.listing import state_counts
from ui.i18n import state_label
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.widgets.sections import TableSection

COUNT_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "State"), lambda item: state_label(item[0])),
    Column(QT_TRANSLATE_NOOP("Columns", "Orders"), lambda item: str(item[1]), None, True),
)
COUNTED_TABLES = frozenset({"repair_orders"})


def counts_section(ctx: Context) -> TableSection:
    return TableSection(
        QCoreApplication.translate("LedgersTab", "Orders by state"),
        ListTableModel(
            COUNT_COLUMNS, lambda: list(state_counts(ctx).items()), tables=COUNTED_TABLES
        ),
        "stateCountsTable",
    )
