"""The parts counter's parts, built one per turn after the tab's header and scan field
(ui/parts/tab.py): the counter and the keeper's panels, then the lists (the stock in sight, the
others each in its own turn after it). Imported by the first part, with the panels, models and
services they need: not before the window shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QTabWidget, QWidget

from app.models import RepairState
from app.orders.listing import OrderFilter
from app.parts import shortage as parts_shortage
from ui.models.lists import ListTableModel
from ui.models.orders import OrderTableModel
from ui.parts.counter import CounterPanel
from ui.parts.keeper import KeeperActions
from ui.parts.ledger_model import PURCHASE_COLUMNS, PartsLedgerModel
from ui.parts.stock import (
    SLOW_MOVING_DAYS,
    PartsMasterButtons,
    defective_model,
    slow_moving_model,
)
from ui.parts.stock_model import PartStockModel
from ui.widgets.sections import OrderSection, TableSection

if TYPE_CHECKING:
    from ui.parts.tab import PartsTab


def build_panels(tab: PartsTab) -> None:
    """The counter (the order, the checks, the buttons) beside the keeper's stock moves."""
    tab.counter = CounterPanel(tab)
    tab.keeper = KeeperActions(tab.ctx, lambda: tab.order_id, tab)
    panels = QWidget(tab)
    row = QHBoxLayout(panels)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(tab.counter, 3)
    row.addWidget(tab.keeper, 2)
    scroll = QScrollArea(tab)
    scroll.setObjectName("partsPanels")
    scroll.setWidgetResizable(True)
    scroll.setWidget(panels)
    # The counter's buttons ("Issue anyway", "Waiting for parts") and the keeper's "Book
    # the move" stay in sight at 1366×768: the panels keep their height, the lists scroll.
    scroll.setMinimumHeight(panels.sizeHint().height() + 2 * scroll.frameWidth())
    tab.add_widget(scroll, 0)
    tab.counter.override_button.clicked.connect(tab._issue_with_override)
    tab.counter.wait_button.clicked.connect(tab._record_wait)
    tab.keeper.receipt_booked.connect(tab._show_unblocked)
    tab.keeper.reported.connect(tab.report)


def build_lists(tab: PartsTab) -> None:
    """The stock list (the one in sight) now; the other lists, each in its own turn after it
    (ui/widgets/build_steps.py)."""
    ctx = tab.ctx
    # The lists share one tabbed area under the counter, so the tab fits a 1366×768 screen
    # (six lists stacked asked for 830 px of height).
    tab.lists = QTabWidget(tab)
    tab.lists.setObjectName("partsLists")
    tab.stock = _add_list(
        tab,
        TableSection(
            QCoreApplication.translate("PartsTab", "Parts stock"),
            PartStockModel(ctx),
            "partStockTable",
        ),
        QCoreApplication.translate("PartsTab", "Stock"),
    )
    tab.master = PartsMasterButtons(ctx, tab.stock)
    tab.stock.layout().addWidget(tab.master)
    tab.master.reported.connect(tab.report)
    tab.add_widget(tab.lists, 1)
    tab.build_later(lambda: build_ledger(tab))
    tab.build_later(lambda: build_waiting(tab))
    tab.build_later(lambda: build_purchases(tab))
    tab.build_later(lambda: build_slow_moving(tab))
    tab.build_later(lambda: build_defective(tab))


def _add_list(tab: PartsTab, section: TableSection, title: str) -> TableSection:
    tab.lists.addTab(section, title)
    tab.sections.append(section)
    return section


def build_ledger(tab: PartsTab) -> None:
    ledger = TableSection(
        QCoreApplication.translate("PartsTab", "Parts ledger"),
        PartsLedgerModel(tab.ctx),
        "partsLedgerTable",
    )
    tab.ledger = _add_list(tab, ledger, QCoreApplication.translate("PartsTab", "Parts ledger"))


def build_waiting(tab: PartsTab) -> None:
    waiting = OrderSection(
        QCoreApplication.translate("PartsTab", "Orders waiting for parts"),
        OrderTableModel(
            tab.ctx,
            OrderFilter(states=frozenset({RepairState.WAITING_PARTS})),
            clock=tab.ctx.clock,
            sort_key="due_at",
            descending=False,
        ),
        "waitingPartsTable",
    )
    tab.waiting = _add_list(
        tab, waiting, QCoreApplication.translate("PartsTab", "Waiting for parts")
    )


def build_purchases(tab: PartsTab) -> None:
    ctx = tab.ctx
    purchases = TableSection(
        QCoreApplication.translate("PartsTab", "Purchase requests"),
        ListTableModel(
            PURCHASE_COLUMNS,
            lambda: parts_shortage.purchase_requests(ctx),
            tables=frozenset({"purchase_requests", "part_waits", "parts"}),
        ),
        "purchaseRequestTable",
    )
    tab.purchases = _add_list(
        tab, purchases, QCoreApplication.translate("PartsTab", "Purchase requests")
    )
    tab.export_button = QPushButton(
        QCoreApplication.translate("PartsTab", "Export purchase requests…"), tab.purchases
    )
    tab.export_button.setObjectName("exportPurchaseRequests")
    tab.purchases.layout().addWidget(tab.export_button)
    tab.export_button.clicked.connect(tab._ask_export_path)


def build_slow_moving(tab: PartsTab) -> None:
    slow_moving = TableSection(
        QCoreApplication.translate(
            "PartsTab", "Slow-moving stock (no move for {days} days)"
        ).format(days=SLOW_MOVING_DAYS),
        slow_moving_model(tab.ctx),
        "slowMovingTable",
    )
    tab.slow_moving = _add_list(
        tab, slow_moving, QCoreApplication.translate("PartsTab", "Slow-moving")
    )


def build_defective(tab: PartsTab) -> None:
    defective = TableSection(
        QCoreApplication.translate("PartsTab", "Defective stock"),
        defective_model(tab.ctx),
        "defectiveStockTable",
    )
    tab.defective = _add_list(tab, defective, QCoreApplication.translate("PartsTab", "Defective"))
