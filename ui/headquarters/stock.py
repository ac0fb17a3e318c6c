"""Headquarters' page of parts between centers: every center's stock rows of the master's parts and
its shortages (``app.headquarters.stock``), the centers that could send a short part, the transfer
dialog, and the parts master's editor."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.context import Context
from app.headquarters.stock import CenterChoice, CenterStock, network_centers, network_stock
from app.parts.transfer import Transfer
from ui.headquarters.master import MasterDialog
from ui.headquarters.transfer import TransferDialog
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.sections import TableSection

STOCK_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Center"), lambda row: f"{row.code} {row.center_name}"),
    Column(QT_TRANSLATE_NOOP("Columns", "Part number"), lambda row: row.part_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Part"), lambda row: row.name),
    Column(QT_TRANSLATE_NOOP("Columns", "On hand"), lambda row: str(row.on_hand), None, True),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Safety stock"),
        lambda row: str(row.safety_stock),
        None,
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Orders waiting"),
        lambda row: str(row.orders_waiting) if row.orders_waiting else "",
        None,
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Short by"),
        lambda row: str(row.need) if row.need else "",
        None,
        True,
    ),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Could send"),
        lambda row: ", ".join(f"{source.code} ({source.spare})" for source in row.sources),
    ),
)


class NetworkStockPage(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqStockPage")
        self.ctx = ctx
        self.centers: list[CenterChoice] | None = None
        self.only_short = QCheckBox(self.tr("Shortages only"), self)
        self.only_short.setObjectName("hqOnlyShort")
        self.only_short.setChecked(True)
        self.transfer_button = QPushButton(self.tr("Transfer parts…"), self)
        self.transfer_button.setObjectName("hqTransfer")
        self.master_button = QPushButton(self.tr("Parts master…"), self)
        self.master_button.setObjectName("hqMaster")
        self.status = QLabel(self)
        self.status.setObjectName("hqTransferStatus")
        self.stock = TableSection(
            self.tr("Every center's stock"),
            ListTableModel(
                STOCK_COLUMNS,
                self._read,
                tables=frozenset({"parts", "stock_moves", "part_waits"}),
                args=lambda: (self.only_short.isChecked(),),
            ),
            "hqStockTable",
        )
        bar = QHBoxLayout()
        bar.addWidget(self.only_short)
        bar.addStretch(1)
        bar.addWidget(self.master_button)
        bar.addWidget(self.transfer_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Short: orders wait for the part, or the stock is at or under its safety "
                    "stock. A transfer moves stock out of one center and into the other at once."
                ),
                self,
            )
        )
        layout.addWidget(self.status)
        layout.addWidget(self.stock, 1)
        self.only_short.toggled.connect(lambda _: self.stock.reload())
        self.transfer_button.clicked.connect(self.open_transfer)
        self.master_button.clicked.connect(self.open_master)

    def open_master(self) -> MasterDialog:
        """The network's parts master, which every center's stock rows name (headquarters keeps it)."""
        dialog = MasterDialog(self.ctx, self)
        dialog.finished.connect(lambda _: self.stock.reload())
        dialog.open()
        return dialog

    def _read(self, only_short: bool) -> list[CenterStock]:
        """In the read worker."""
        return network_stock(self.ctx, only_short=only_short)

    def selected(self) -> CenterStock | None:
        rows = self.stock.view.selectionModel().selectedRows()
        if not rows:
            return None
        row: CenterStock = self.stock.model.row_object(rows[0].row())  # type: ignore[attr-defined]
        return row

    def open_transfer(self) -> None:
        if self.centers is None:  # read once, off the UI thread
            BackgroundOp(self, lambda: network_centers(self.ctx)).success(
                self._centers_read
            ).run_in_background()
            return
        self.transfer_dialog().open()

    def _centers_read(self, centers: list[CenterChoice]) -> None:
        self.centers = centers
        self.transfer_dialog().open()

    def transfer_dialog(self) -> TransferDialog:
        """The dialog filled in from the selected row: a short center receives from the center
        with the most to spare; any other row sends from its center."""

        row = self.selected()
        if row is None:
            dialog = TransferDialog(self.ctx, self.centers or [], parent=self)
        elif row.short and row.sources:
            source = row.sources[0]
            dialog = TransferDialog(
                self.ctx,
                self.centers or [],
                part_no=row.part_no,
                sender=source.center_id,
                receiver=row.center_id,
                quantity=min(row.need, source.spare) or 1,
                parent=self,
            )
        else:
            dialog = TransferDialog(
                self.ctx, self.centers or [], part_no=row.part_no, sender=row.center_id, parent=self
            )
        dialog.accepted.connect(lambda: self._transferred(dialog.done_transfer))
        return dialog

    def _transferred(self, transfer: Transfer | None) -> None:
        if transfer is not None:
            self.status.setText(
                self.tr("Transfer {document}: {quantity} × {part_no} sent.").format(
                    document=transfer.document_no,
                    quantity=transfer.quantity,
                    part_no=transfer.part_no,
                )
            )
        self.stock.reload()
