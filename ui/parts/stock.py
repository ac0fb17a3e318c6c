"""The keeper's stock reviews and the parts master: slow-moving (呆滞料) and defective (不良料)
stock as lists, and the parts master (物料主数据) to and from Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from app.context import Context
from app.errors import DomainError
from app.importing import ImportReport
from app.parts import master_sheet as parts_master
from app.parts import views as parts_reports
from app.permissions import Permission
from ui.i18n import domain_message
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.feedback import Outcome
from ui.widgets.import_report import ImportReportDialog, import_outcome

SLOW_MOVING_DAYS = 90
AGED_TABLES = frozenset({"parts", "stock_moves"})

AGED_COLUMNS: tuple[Column, ...] = (
    Column(QT_TRANSLATE_NOOP("Columns", "Part no."), lambda r: r.part_no),
    Column(QT_TRANSLATE_NOOP("Columns", "Part name"), lambda r: r.name),
    Column(QT_TRANSLATE_NOOP("Columns", "Quantity"), lambda r: str(r.quantity), None, True),
    Column(
        QT_TRANSLATE_NOOP("Columns", "Days since last move"),
        lambda r: "—" if r.age_days is None else str(r.age_days),
        None,
        True,
    ),
)


def slow_moving_model(ctx: Context) -> ListTableModel:
    return ListTableModel(
        AGED_COLUMNS,
        lambda: parts_reports.slow_moving(ctx, SLOW_MOVING_DAYS),
        tables=AGED_TABLES,
    )


def defective_model(ctx: Context) -> ListTableModel:
    return ListTableModel(
        AGED_COLUMNS, lambda: parts_reports.defective_stock(ctx), tables=AGED_TABLES
    )


def may_edit_master(ctx: Context) -> bool:
    return ctx.actor.can(Permission.ISSUE_PARTS) or ctx.actor.can(Permission.ADMINISTER)


class PartsMasterButtons(QWidget):
    """Import parts master… / Export parts master…: only for who may edit the master."""

    reported = Signal(object, str)  # Outcome, text

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partsMasterButtons")
        self.ctx = ctx
        self.dialog: ImportReportDialog | None = None
        self.import_button = QPushButton(self.tr("Import parts master…"), self)
        self.import_button.setObjectName("importPartsMaster")
        self.export_button = QPushButton(self.tr("Export parts master…"), self)
        self.export_button.setObjectName("exportPartsMaster")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.setVisible(may_edit_master(ctx))
        self.import_button.clicked.connect(self.import_master)
        self.export_button.clicked.connect(self.export_master)

    # Export
    def export_master(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Export parts master"),
            "物料主数据.xlsx",
            self.tr("Excel workbook (*.xlsx)"),
        )
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        ctx = self.ctx
        BackgroundOp(self, lambda: parts_master.export_master(ctx, target)).success(
            lambda path: self.reported.emit(
                Outcome.OK, self.tr("Saved {file}.").format(file=str(path))
            )
        ).failure(self._refused).with_progress(
            self.tr("Exporting the parts master…")
        ).run_in_background()

    # Import
    def import_master(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import parts master"), "", self.tr("Excel workbook (*.xlsx)")
        )
        if not name:
            return
        path, ctx = Path(name), self.ctx
        BackgroundOp(self, lambda: parts_master.import_master(ctx, path, apply=False)).success(
            lambda report: self._confirm(path, report)
        ).failure(self._refused).with_progress(
            self.tr("Checking the parts master…")
        ).run_in_background()

    def _confirm(self, path: Path, report: ImportReport) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        title = self.tr("Parts master {file}").format(file=path.name)
        self.dialog = ImportReportDialog(title, report, self)
        self.dialog.accepted.connect(lambda: self._apply(path))
        self.dialog.open()

    def _apply(self, path: Path) -> None:
        ctx = self.ctx
        BackgroundOp(self, lambda: parts_master.import_master(ctx, path, apply=True)).success(
            self._imported
        ).failure(self._refused).with_progress(
            self.tr("Importing the parts master…")
        ).run_in_background()

    def _imported(self, report: ImportReport) -> None:
        self.reported.emit(*import_outcome(report))

    def _refused(self, error: DomainError) -> None:
        self.reported.emit(Outcome.ERROR, domain_message(error))
