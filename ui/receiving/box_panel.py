"""The open box on the receiving desk: its heading, the open-boxes picker, the desk's buttons and
the units scanned into it. It only shows; the tab acts on the buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.localtime import DATE, local_text
from app.receiving import BoxSummary
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.widgets.sections import TableSection
from ui.widgets.shortcuts import routine

BOX_TABLES = frozenset({"repair_orders", "inbound_boxes"})

FAULT_COLUMN = 5  # in BOX_COLUMNS
BOX_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Order no."), lambda line: line.order_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Serial / IMEI"), lambda line: line.serial),
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda line: line.model_name),
    Column(QT_TRANSLATE_NOOP("Columns", "Capacity"), lambda line: line.capacity or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Colour"), lambda line: line.colour or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Fault"), lambda line: line.fault_description),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Warranty"),
        lambda line: "保内" if line.in_warranty else "保外",
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Repeat"),
        lambda line: "返修" if line.is_repeat or line.is_rework else "",
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Appearance check"),
        lambda line: "✓" if line.condition_checked else "待检",
    ),
)


class BoxPanel(QWidget):
    """``load_lines(box_id)`` reads the open box's units (on the read worker: plain data only),
    ``open_box()`` names the open box; ``may_import`` shows the sales-register import."""

    def __init__(
        self,
        load_lines: Callable[[int | None], list[object]],
        open_box: Callable[[], int | None],
        *,
        may_import: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("boxPanel")
        self.heading = QLabel(self)
        self.heading.setObjectName("boxHeading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        # The sender is under the watch after a complaint (seed 000): seen from a metre away.
        self.watch_banner = QLabel(self)
        self.watch_banner.setObjectName("watchBanner")
        self.watch_banner.setWordWrap(True)
        self.watch_banner.setStyleSheet(
            "QLabel { background: #b00020; color: white; font-weight: bold; font-size: 22px;"
            " padding: 10px; }"
        )
        self.watch_banner.setVisible(False)
        self.open_boxes = QComboBox(self)
        self.open_boxes.setObjectName("openBoxesCombo")
        self.units = TableSection(
            self.tr("Units in this box"),
            ListTableModel(BOX_COLUMNS, load_lines, tables=BOX_TABLES, args=lambda: (open_box(),)),
            "boxUnitsTable",
        )
        self.units.view.stretch_column(FAULT_COLUMN)  # the free text, not the check mark
        self.close_button = self._button(self.tr("Close box (F10)"), "closeBoxButton")
        self.preview_label_button = self._button(self.tr("Preview label"), "previewLabelButton")
        self.pending_button = self._button("", "pendingLabelsButton")
        self.photo_button = self._button(self.tr("Attach photos…"), "attachPhotosButton")
        self.condition_button = self._button(self.tr("Appearance check…"), "conditionButton")
        self.print_labels = QCheckBox(self.tr("Print labels"), self)
        self.print_labels.setObjectName("printLabelsCheck")
        self.print_labels.setToolTip(
            self.tr("Print each label at once; unchecked, labels wait for a preview")
        )
        self.import_button = self._button(self.tr("Import sales register…"), "importRegisterButton")
        self.import_button.setVisible(may_import)
        routine(self.close_button, "F10", pressed_elsewhere=True)  # the tab's QShortcut
        routine(self.condition_button, "F3")
        routine(self.photo_button, "F4")
        routine(self.preview_label_button, "F7")
        routine(self.pending_button, "F8")

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.open_boxes)
        actions = QHBoxLayout()
        actions.addWidget(self.print_labels)
        for button in (
            self.preview_label_button,
            self.pending_button,
            self.photo_button,
            self.condition_button,
            self.import_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        # The tab adds its list of recent receipts below the units.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.units)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.watch_banner)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the focus
        return button

    def show_box(self, box: BoxSummary | None, pending_labels: int) -> None:
        """The heading, the close button, and the labels waiting for a preview."""
        self.close_button.setEnabled(box is not None)
        self.pending_button.setVisible(bool(pending_labels))
        self.pending_button.setText(
            self.tr("Labels waiting ({count})").format(count=pending_labels)
        )
        until = box.sender_watched_until if box is not None else None
        self.watch_banner.setVisible(until is not None)
        if until is not None:
            self.watch_banner.setText(
                self.tr(
                    "⚠ {sender} is under watch after a complaint until {date}: handle every "
                    "unit with care. Customer service is told of each unit scanned."
                ).format(sender=box.sender_name, date=local_text(until, DATE))
            )
        if box is None:
            self.heading.setText(self.tr("No box open: scan the waybill of the box."))
            return
        self.heading.setText(
            self.tr("Box {waybill} from {sender}: scanned {scanned} of {declared}").format(
                waybill=box.waybill_no,
                sender=box.sender_name,
                scanned=box.scanned_quantity,
                declared=box.declared_quantity,
            )
        )

    def set_open_boxes(self, boxes: Sequence[BoxSummary], current: int | None) -> None:
        self.open_boxes.clear()
        self.open_boxes.addItem(self.tr("No box (scan a waybill)"), None)
        for box in boxes:
            self.open_boxes.addItem(
                self.tr("{waybill} · {sender} · {scanned}/{declared}").format(
                    waybill=box.waybill_no,
                    sender=box.sender_name,
                    scanned=box.scanned_quantity,
                    declared=box.declared_quantity,
                ),
                box.id,
            )
        self.select_box(current)

    def select_box(self, box_id: int | None) -> None:
        self.open_boxes.setCurrentIndex(max(self.open_boxes.findData(box_id), 0))
