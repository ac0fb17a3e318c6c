"""About / diagnostics: version, database and schema, folders, and a support archive (a zip of
the logs and the settings, never a password) to send to whoever helps."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.admin import diagnostics
from app.context import Context
from ui import settings
from ui.ops import BackgroundOp


def show_about(parent: QWidget | None, ctx: Context) -> None:
    """The Help menu's About: a modal dialog."""
    AboutDialog(ctx, parent).exec()


def station_settings_snapshot() -> dict[str, object]:
    """This PC's settings as plain values (diagnostics drops the secret ones)."""
    return settings.snapshot()


def ask_where_to_save(parent: QWidget, suggested: Path) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("AboutDialog", "Save the support archive"),
        str(suggested),
        "Zip (*.zip)",
    )
    return Path(path) if path else None


class AboutDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About"))
        self.ctx = ctx
        info = diagnostics.collect(ctx.db)
        self.info = info

        def selectable(text: str, name: str) -> QLabel:
            label = QLabel(text)
            label.setObjectName(name)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            return label

        schema_text = self.tr("{revision} (this version expects {head})").format(
            revision=info.schema_revision or "—", head=info.schema_head
        )
        self.database = selectable(info.database, "aboutDatabase")
        form = QFormLayout()
        form.addRow(self.tr("Version"), selectable(info.version, "aboutVersion"))
        form.addRow(self.tr("Station"), selectable(ctx.station, "aboutStation"))
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("Schema version"), selectable(schema_text, "aboutSchema"))
        form.addRow(self.tr("Data folder"), selectable(info.data_dir, "aboutDataDir"))
        form.addRow(self.tr("Log folder"), selectable(info.log_dir, "aboutLogDir"))
        form.addRow(
            self.tr("System"), selectable(f"{info.system}, Python {info.python}", "aboutSystem")
        )

        self.open_logs_button = QPushButton(self.tr("Open the log folder"))
        self.open_logs_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(info.log_dir))
        )
        self.save_archive_button = QPushButton(self.tr("Save a support archive…"))
        self.save_archive_button.setObjectName("saveSupportArchive")
        self.save_archive_button.setToolTip(
            self.tr("A zip of the logs and the settings for support. It holds no password.")
        )
        self.save_archive_button.clicked.connect(self.save_archive)
        self.archive_status = QLabel()
        self.archive_status.setObjectName("archiveStatus")
        self.archive_status.setWordWrap(True)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.open_logs_button)
        buttons_row.addWidget(self.save_archive_button)
        buttons_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("RepairFloor: the repair center's floor"))
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addLayout(buttons_row)
        layout.addWidget(self.archive_status)
        layout.addWidget(close)

    def save_archive(self) -> None:
        suggested = Path.home() / diagnostics.support_archive_name(datetime.now())
        out = ask_where_to_save(self, suggested)
        if out is None:
            return
        station = station_settings_snapshot()
        db = self.ctx.db
        self.save_archive_button.setEnabled(False)
        BackgroundOp(self, lambda: diagnostics.write_support_archive(out, db, station)).success(
            self._saved
        ).with_progress(self.tr("Writing the support archive…")).run_in_background()

    def _saved(self, path: Path) -> None:
        self.save_archive_button.setEnabled(True)
        self.archive_status.setText(self.tr("Saved {path}").format(path=path))
