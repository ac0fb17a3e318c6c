"""The receiving desk's parts, built one per turn after the tab's header and scan field
(ui/receiving/tab.py): the box with its units, the intake form with the unit's history, the
week's receipts. Imported by the first part, with the panels and services they need: not before
the window shows."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from app.orders.listing import OrderFilter
from app.permissions import Permission
from app.receiving.desk import box_lines
from ui.models.orders import OrderTableModel
from ui.receiving import printing as receiving_print
from ui.receiving.box_panel import BoxPanel
from ui.receiving.desk_documents import DeskDocuments
from ui.receiving.intake import IntakePanel
from ui.receiving.model_correction import ModelCorrection
from ui.receiving.register_import import RegisterImport
from ui.receiving.to_print import attach as attach_to_print
from ui.receiving.unit_history import UnitHistory
from ui.widgets.feedback import Outcome
from ui.widgets.sections import OrderSection

if TYPE_CHECKING:
    from ui.receiving.tab import ReceivingTab

RECENT_DAYS = timedelta(days=7)


def build_box(tab: ReceivingTab) -> None:
    """The box panel (the open box, its units, its buttons), the desk's documents, the import."""
    ctx = tab.ctx
    tab.documents = DeskDocuments(ctx, tab._refused, tab)
    tab.documents.pending_changed.connect(tab._update_heading)
    tab.documents.label_not_printed.connect(lambda text: tab.report(Outcome.WARNING, text))
    tab.documents.preview_closed.connect(tab._dialog_done)
    tab.register_import = RegisterImport(
        ctx,
        report=tab.report,
        refused=tab._refused,
        show_dialog=tab._show_dialog,
        parent=tab,
    )
    panel = BoxPanel(
        lambda box_id: [] if box_id is None else list(box_lines(ctx, box_id)),
        lambda: None if tab.box is None else tab.box.id,
        may_import=ctx.actor.can(Permission.ADMINISTER),
        parent=tab,
    )
    tab.box_panel = panel
    tab.units = panel.units
    panel.open_boxes.activated.connect(tab._choose_open_box)
    panel.close_button.clicked.connect(tab.ask_close_box)
    panel.preview_label_button.clicked.connect(tab.preview_label)
    panel.pending_button.clicked.connect(tab.preview_pending_labels)
    panel.photo_button.clicked.connect(tab.attach_photos)
    panel.condition_button.clicked.connect(tab.check_condition)
    panel.print_labels.setChecked(receiving_print.PRINT_LABELS.get())
    panel.print_labels.toggled.connect(receiving_print.PRINT_LABELS.set)
    panel.print_labels.toggled.connect(lambda _on: tab.scan_field_focus())
    panel.import_button.clicked.connect(tab.import_register)
    tab.add_widget(_scrolling(tab, panel, "boxScroll"), 3)
    tab.sections.append(tab.units)


def build_intake(tab: ReceivingTab) -> None:
    """The intake form (the next unit's details) over the scanned unit's history."""
    panel = QWidget(tab)
    panel.setObjectName("receivingSidePanel")
    tab.intake = IntakePanel(panel)
    tab.intake.editing_done.connect(tab.scan_field_focus)
    tab.unit_history = UnitHistory(panel)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(tab.intake, 3)
    layout.addWidget(tab.unit_history, 1)
    tab.add_widget(_scrolling(tab, panel, "intakeScroll"), 2)


def build_recent(tab: ReceivingTab) -> None:
    """The desk's own list: the last week's receipts (the index on received_at keeps it fast on
    a database of millions of orders; older orders are found through the search); reprinting and
    correcting a model on both lists."""
    ctx = tab.ctx
    recent = OrderFilter(received_since=ctx.now() - RECENT_DAYS)
    tab.recent = OrderSection(
        QCoreApplication.translate("ReceivingTab", "Received in the last 7 days"),
        OrderTableModel(ctx, recent, clock=ctx.clock, sort_key="received_at", descending=True),
        "recentOrdersTable",
    )
    tab.box_panel.splitter.addWidget(tab.recent)
    tab.sections.append(tab.recent)
    ModelCorrection(ctx, tab._show_dialog, tab.report, tab).attach(tab.units, tab.recent)
    tab.to_print = attach_to_print(tab)  # reprint from the lists; the to-print list


def _scrolling(tab: ReceivingTab, panel: QWidget, name: str) -> QScrollArea:
    """Scrolls on a small screen rather than forcing the window to grow."""
    scroll = QScrollArea(tab)
    scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(panel)
    return scroll
