"""What an Excel import will change in a catalogue (adds, changes, removals), applied on OK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.admin import catalogs
from app.admin.catalogs import Catalog, ImportPreview
from app.context import Context
from app.errors import DomainError
from ui.i18n import domain_message, tr_app
from ui.widgets.feedback import MessageLine, Outcome


class ImportPreviewDialog(QDialog):
    """What an Excel file will change (adds, changes, removals) or why it cannot be imported."""

    applied = Signal(object)

    def __init__(
        self,
        ctx: Context,
        catalog: Catalog,
        path: Path,
        preview: ImportPreview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.ctx, self.catalog, self.path, self.preview = ctx, catalog, path, preview
        self.setWindowTitle(self.tr("Import preview: {file}").format(file=path.name))
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.message = MessageLine(self)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setObjectName("applyImportButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._show(preview)

    def _show(self, preview: ImportPreview) -> None:
        self.summary.setText(
            self.tr(
                "{adds} to add, {changes} to change, {removes} to remove, {same} unchanged, "
                "{bad} bad rows."
            ).format(
                adds=len(preview.adds),
                changes=len(preview.changes),
                removes=len(preview.removes),
                same=preview.unchanged,
                bad=len(preview.bad_rows),
            )
        )
        lines = [
            self.tr("Row {row}: {reason}").format(
                row=bad.row, reason=tr_app(bad.reason).format(**_translated(bad.params))
            )
            for bad in preview.bad_rows
        ]
        lines += [
            self.tr("Row {row}: add {key}").format(row=row, key=key) for row, key in preview.adds
        ]
        for row, key, before, after in preview.changes:
            changes = "; ".join(f"{name}: {before[name]} → {after[name]}" for name in after)
            lines.append(
                self.tr("Row {row}: change {key} ({changes})").format(
                    row=row, key=key, changes=changes
                )
            )
        lines += [self.tr("Remove {key}").format(key=key) for key in preview.removes]
        self.details.setPlainText("\n".join(lines))
        if not preview.ok:
            self.apply_button.setEnabled(False)
            self.message.show_message(
                Outcome.ERROR,
                self.tr("Nothing will be imported: correct the bad rows and try again."),
            )

    def apply(self) -> None:
        try:
            result = catalogs.apply_import(self.ctx, self.catalog, self.path)
        except DomainError as error:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            return
        if not result.applied:  # the file or the lists changed since the preview
            self._show(result)
            return
        self.applied.emit(result)
        self.accept()


def _translated(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: tr_app(value) if isinstance(value, str) else value for key, value in params.items()
    }
