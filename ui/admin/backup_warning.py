"""The status-bar warning when this station's newest good backup is more than a day old (the
daily backup failed, or the disk is full): hidden otherwise. Wire it with
:func:`install_backup_warning` (main window, once); it looks again every hour and when told
that today's backup finished."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.context import Context

REFRESH_MS = 60 * 60_000


class BackupWarning(QLabel):
    def __init__(self, ctx: Context, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupWarning")
        self.ctx = ctx
        self.folder = folder
        self.setStyleSheet("QLabel { background: #c62828; color: white; padding: 1px 8px; }")
        self.setVisible(False)  # until the day's backup has had its chance (refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def refresh(self) -> None:
        # Loaded by today's backup (its worker) before the first look: not by the window's start.
        from app.admin import backup

        stale = backup.backup_is_stale(self.ctx.db, self.folder, self.ctx.now())
        self.setText(
            self.tr("No good backup for more than a day: see {folder}").format(folder=self.folder)
        )
        self.setVisible(stale)


def install_backup_warning(ctx: Context, status_bar: QStatusBar, folder: Path) -> BackupWarning:
    warning = BackupWarning(ctx, folder, status_bar)
    status_bar.addPermanentWidget(warning)
    return warning
