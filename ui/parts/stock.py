"""The keeper's stock reviews and the parts master: slow-moving (呆滞料) and defective (不良料)
stock as lists, and the parts master (物料主数据) to and from Excel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.context import Context
from app.errors import DomainError
from app.models import Part
from app.parts import master as parts_master
from app.parts import views as parts_reports
from app.permissions import Permission
from ui.i18n import domain_message
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.feedback import Outcome

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
        lambda: parts_reports.slow_moving(ctx.db, ctx.now(), SLOW_MOVING_DAYS),
        tables=AGED_TABLES,
    )


def defective_model(ctx: Context) -> ListTableModel:
    return ListTableModel(
        AGED_COLUMNS, lambda: parts_reports.defective_stock(ctx.db, ctx.now()), tables=AGED_TABLES
    )


def may_edit_master(ctx: Context) -> bool:
    return ctx.actor.can(Permission.ISSUE_PARTS) or ctx.actor.can(Permission.ADMINISTER)


@dataclass(frozen=True)
class MasterPreview:
    result: parts_master.MasterImport
    added: int
    changed: int


def preview_master(ctx: Context, path: Path) -> MasterPreview:
    """Check the file without applying it; if clean, how many parts are new and how many change."""
    result = parts_master.import_master(ctx, path, apply=False)
    if not result.ok:
        return MasterPreview(result, 0, 0)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = ["" if cell is None else str(cell).strip() for cell in next(rows, ())]
        column = header.index(parts_master.HEADERS[0])
        numbers = {
            str(row[column]).strip()
            for row in rows
            if column < len(row) and row[column] not in (None, "") and str(row[column]).strip()
        }
    finally:
        workbook.close()
    with ctx.db.read() as session:
        known = set(session.scalars(select(Part.part_no).where(Part.part_no.in_(list(numbers)))))
    return MasterPreview(result, len(numbers - known), len(numbers & known))


class MasterPreviewDialog(QDialog):
    """What the import will do; Apply only when no row is bad."""

    def __init__(self, file_name: str, preview: MasterPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("partsMasterPreview")
        self.setWindowTitle(self.tr("Parts master {file}").format(file=file_name))
        result = preview.result
        if result.ok:
            text = self.tr("{added} new part(s), {changed} changed.").format(
                added=preview.added, changed=preview.changed
            )
        else:
            text = self.tr(
                "{count} bad row(s): nothing will be imported until they are fixed."
            ).format(count=len(result.bad_rows))
        self.summary = QLabel(text, self)
        self.summary.setObjectName("partsMasterSummary")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("partsMasterBadRows")
        self.details.setReadOnly(True)
        self.details.setPlainText(
            "\n".join(
                self.tr("Row {row}: {problem}").format(row=row, problem=problem)
                for row, problem in result.bad_rows
            )
        )
        self.details.setVisible(bool(result.bad_rows))
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("applyPartsMaster")
        self.apply_button.setEnabled(result.ok)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)


class PartsMasterButtons(QWidget):
    """Import parts master… / Export parts master…: only for who may edit the master."""

    reported = Signal(object, str)  # Outcome, text

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("partsMasterButtons")
        self.ctx = ctx
        self.dialog: MasterPreviewDialog | None = None
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
        db = self.ctx.db
        BackgroundOp(self, lambda: parts_master.export_master(db, target)).success(
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
        BackgroundOp(self, lambda: preview_master(ctx, path)).success(
            lambda preview: self._confirm(path, preview)
        ).failure(self._refused).with_progress(
            self.tr("Checking the parts master…")
        ).run_in_background()

    def _confirm(self, path: Path, preview: MasterPreview) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = MasterPreviewDialog(path.name, preview, self)
        self.dialog.accepted.connect(lambda: self._apply(path))
        self.dialog.open()

    def _apply(self, path: Path) -> None:
        ctx = self.ctx
        BackgroundOp(self, lambda: parts_master.import_master(ctx, path, apply=True)).success(
            self._imported
        ).failure(self._refused).with_progress(
            self.tr("Importing the parts master…")
        ).run_in_background()

    def _imported(self, result: parts_master.MasterImport) -> None:
        if not result.applied:
            self.reported.emit(
                Outcome.ERROR,
                self.tr("The parts master was not imported: {count} bad row(s).").format(
                    count=len(result.bad_rows)
                ),
            )
            return
        self.reported.emit(
            Outcome.OK,
            self.tr("Parts master imported: {added} new, {updated} changed.").format(
                added=result.added, updated=result.updated
            ),
        )

    def _refused(self, error: DomainError) -> None:
        self.reported.emit(Outcome.ERROR, domain_message(error))
