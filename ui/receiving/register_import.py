"""Importing the dealers' sales register (an administrator's job at the receiving desk): the file
is checked off the UI thread, a preview says what it will change, OK applies it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QWidget

from app.context import Context
from app.errors import DomainError
from ui.ops import BackgroundOp
from ui.widgets.feedback import Outcome

if TYPE_CHECKING:  # the importer and its report load when a register is first imported
    from app.importing import ImportReport


def _import(ctx: Context, path: Path, *, apply: bool) -> ImportReport:  # on a worker
    from app.receiving.sales_register import import_sales_register

    return import_sales_register(ctx, path, apply=apply)


class RegisterImport(QObject):
    def __init__(
        self,
        ctx: Context,
        *,
        report: Callable[[Outcome, str], None],
        refused: Callable[[DomainError], None],
        show_dialog: Callable[[QDialog], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._report = report
        self._refused = refused
        self._show_dialog = show_dialog
        self._window = parent

    def check(self, path: Path) -> None:
        """Read the file without changing anything, then show the preview."""
        ctx = self._ctx
        BackgroundOp(self._window, lambda: _import(ctx, path, apply=False)).success(
            lambda result: self._confirm(path, result)
        ).failure(self._refused).with_progress(
            self.tr("Checking the sales register…")
        ).run_in_background()

    def _confirm(self, path: Path, report: ImportReport) -> None:
        title = self.tr("Sales register {file}").format(file=path.name)
        from ui.widgets.import_report import ImportReportDialog

        dialog = ImportReportDialog(title, report, self._window)
        dialog.accepted.connect(lambda: self._apply(path))
        self._show_dialog(dialog)

    def _apply(self, path: Path) -> None:
        ctx = self._ctx
        BackgroundOp(self._window, lambda: _import(ctx, path, apply=True)).success(
            self._imported
        ).failure(self._refused).with_progress(
            self.tr("Importing the sales register…")
        ).run_in_background()

    def _imported(self, report: ImportReport) -> None:
        from ui.widgets.import_report import import_outcome

        self._report(*import_outcome(report))
