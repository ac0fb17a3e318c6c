"""Headquarters' editor of the network's parts master (物料主数据): every master part, and a form
to add one or change its name, standard cost, sale price and whether it is in use. Saved by
``app.parts.master`` off the UI thread with the version the form loaded (a newer change by
another station: the message says who; the list reloads). The models a part fits are kept as
loaded (the parts keeper's Excel file sets them)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import money
from app.context import Context
from app.errors import DomainError
from app.parts.master import MasterPart, add_part, edit_master_part, master_parts
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error
from ui.widgets.sections import TableSection

MASTER_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Part number"), lambda row: row.part_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Part"), lambda row: row.name),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Standard cost"),
        lambda row: money.format_yuan(row.unit_cost_cents),
        None,
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Sale price"),
        lambda row: money.format_yuan(row.sale_price_cents),
        None,
        True,
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "In use"), lambda row: "✓" if row.active else ""),
)


def _yuan_box(parent: QWidget, name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setObjectName(name)
    box.setDecimals(2)
    box.setRange(0, money.MAX_YUAN)
    return box


def _cents(box: QDoubleSpinBox) -> int:
    return money.to_cents(Decimal(f"{box.value():.2f}"))


class MasterDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqMasterDialog")
        self.setWindowTitle(self.tr("Parts master"))
        self.ctx = ctx
        self.loaded: MasterPart | None = None  # the part the form edits (None: a new part)
        self.parts = TableSection(
            self.tr("The network's parts master"),
            ListTableModel(
                MASTER_COLUMNS,
                lambda: master_parts(ctx),
                tables=frozenset({"part_masters", "part_master_fits"}),
            ),
            "hqMasterTable",
        )
        self.part_no = QLineEdit(self)
        self.part_no.setObjectName("hqMasterPartNo")
        self.part_no.setMaxLength(64)
        self.name = QLineEdit(self)
        self.name.setObjectName("hqMasterName")
        self.name.setMaxLength(128)
        self.cost = _yuan_box(self, "hqMasterCost")
        self.price = _yuan_box(self, "hqMasterPrice")
        self.active = QCheckBox(self.tr("In use"), self)
        self.active.setObjectName("hqMasterActive")
        self.active.setChecked(True)
        self.status = QLabel(self)
        self.status.setObjectName("hqMasterStatus")
        self.new_button = QPushButton(self.tr("New part"), self)
        self.new_button.setObjectName("hqMasterNew")
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("hqMasterSave")
        form = QFormLayout()
        form.addRow(self.tr("Part number"), self.part_no)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Standard cost (yuan)"), self.cost)
        form.addRow(self.tr("Sale price (yuan)"), self.price)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.parts, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.parts.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.new_button.clicked.connect(self.clear)
        self.save_button.clicked.connect(self.save)

    def _selected(self) -> None:
        rows = self.parts.view.selectionModel().selectedRows()
        if rows:
            self.load(self.parts.model.row_object(rows[0].row()))  # type: ignore[attr-defined]

    def load(self, part: MasterPart) -> None:
        """The form shows ``part`` as read (its version goes back with the save)."""
        self.loaded = part
        self.part_no.setText(part.part_no)
        self.part_no.setReadOnly(True)  # a part number is never renamed: a new one is a new part
        self.name.setText(part.name)
        self.cost.setValue(part.unit_cost_cents / 100)
        self.price.setValue(part.sale_price_cents / 100)
        self.active.setChecked(part.active)

    def clear(self) -> None:
        self.loaded = None
        self.parts.view.clearSelection()
        self.part_no.setReadOnly(False)
        for field in (self.part_no, self.name):
            field.clear()
        self.cost.setValue(0)
        self.price.setValue(0)
        self.active.setChecked(True)
        self.part_no.setFocus()

    def save(self) -> None:
        """Add the new part to the master, or change the loaded one, off the UI thread."""
        loaded, ctx = self.loaded, self.ctx
        name, cost, price = self.name.text(), _cents(self.cost), _cents(self.price)
        if loaded is None:
            part_no = self.part_no.text()

            def work() -> object:
                return add_part(
                    ctx, part_no, name, unit_cost_cents=cost, sale_price_cents=price, stock=False
                )
        else:
            active = self.active.isChecked()

            def work() -> object:
                return edit_master_part(
                    ctx,
                    loaded.part_no,
                    name=name,
                    unit_cost_cents=cost,
                    sale_price_cents=price,
                    model_ids=loaded.model_ids,
                    active=active,
                    expected_version=loaded.version,
                )

        self.save_button.setEnabled(False)
        BackgroundOp(self, work).success(lambda _: self._saved()).failure(
            self._refused
        ).run_in_background()

    def _saved(self) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Saved in the parts master."))
        self.clear()
        self.parts.model.refresh()  # type: ignore[attr-defined]

    def _refused(self, error: DomainError) -> None:
        self.save_button.setEnabled(True)
        show_domain_error(self, error)
        self.parts.model.refresh()  # type: ignore[attr-defined]
