"""The Backups page: the backups in this station's backup folder and the second one (newest
first), a backup made now, a backup checked whole (its manifest, or why it is refused), and a
restore (administrator only) that says what it replaces and that the current database is kept.

The work runs off the UI thread (``BackgroundOp``); the core (``app.admin.backup.shelf``) checks
the permissions and the files. After a restore, ``database_replaced`` is emitted: the station
signs in again on the restored database, as after ``repairfloor restore``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.admin.backup import ForeignBackup, open_backup, shelf
from app.admin.backup.container import KIND_NAMES
from app.admin.backup.restoring import Checked, Restored
from app.config import backups_dir
from app.context import Context
from app.errors import DomainError
from app.permissions import Permission
from ui.changes import ChangeBridge
from ui.i18n import domain_message, format_time, tr_app
from ui.ops import BackgroundOp, LatestRead
from ui.widgets.feedback import MessageLine, Outcome, show_domain_error

COLUMNS = 5


def size_text(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.1f} GB"


class BackupsPanel(QWidget):
    # A restore switched this station's database: everyone here signs in again.
    database_replaced = Signal()

    def __init__(
        self,
        ctx: Context,
        changes: ChangeBridge | None = None,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupsPanel")
        self.ctx = ctx
        self.changes = changes
        self.folder = folder or backups_dir()
        self.rows: list[shelf.BackupRow] = []
        self._listing: LatestRead[list[shelf.BackupRow] | DomainError] = LatestRead(
            self, self._show_rows
        )
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Made"),
                self.tr("Kind"),
                self.tr("Size"),
                self.tr("Center"),
                self.tr("Checked whole"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.back_up_button = self._button("backUpNowButton", self.tr("Back up now"), self.back_up)
        self.verify_button = self._button("verifyBackupButton", self.tr("Verify…"), self.verify)
        self.restore_button = self._button("restoreBackupButton", self.tr("Restore…"), self.restore)
        self.restore_button.setVisible(ctx.actor.can(Permission.MANAGE_USERS))
        refresh = self._button("refreshBackupsButton", self.tr("Refresh"), self.load)
        self.message = MessageLine(self)
        buttons = QHBoxLayout()
        for button in (self.back_up_button, self.verify_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.load()

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())  # type: ignore[operator]
        return button

    # The list

    def load(self) -> None:
        """The backups of the folders, listed on the read worker (files and a setting)."""
        ctx, folder = self.ctx, self.folder

        def listed() -> list[shelf.BackupRow] | DomainError:
            try:
                return shelf.list_backups(ctx, folder)
            except DomainError as error:  # shown on the page's message line
                return error

        self._listing.run(listed)

    def _show_rows(self, listed: list[shelf.BackupRow] | DomainError) -> None:
        if isinstance(listed, DomainError):
            self.rows = []
            self.message.show_message(Outcome.ERROR, domain_message(listed))
        else:
            self.rows = listed
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            kind = tr_app(shelf.ORIGIN_LABELS[row.origin])
            if row.database is not None:
                kind = f"{kind} · {tr_app(KIND_NAMES[row.database])}"
            whole = {
                shelf.Whole.YES: self.tr("Yes"),
                shelf.Whole.NO: self.tr("No"),
                shelf.Whole.NOT_CHECKED: self.tr("Not checked yet"),
            }[row.whole]
            cells = [format_time(row.made), kind, size_text(row.size), row.center, whole]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(
                    domain_message(row.problem) if row.problem is not None else str(row.path)
                )
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(number, column, item)

    def selected_path(self) -> Path | None:
        selected = self.table.selectionModel().selectedRows()
        return self.rows[selected[0].row()].path if selected else None

    def _chosen(self, title: str) -> Path | None:
        """The selected row's file, or else a file the administrator picks."""
        path = self.selected_path()
        if path is not None:
            return path
        name, _ = QFileDialog.getOpenFileName(
            self,
            title,
            str(self.folder),
            self.tr("RepairFloor backups (*.rfbackup);;All files (*)"),
        )
        return Path(name) if name else None

    def _refused(self, error: DomainError) -> None:
        self.message.show_message(Outcome.ERROR, domain_message(error))
        show_domain_error(self, error)
        self.load()

    # Back up now

    def back_up(self) -> None:
        ctx, folder = self.ctx, self.folder
        BackgroundOp(self, lambda: shelf.back_up_now(ctx, folder)).success(self._backed_up).failure(
            self._refused
        ).with_progress(self.tr("Backing up…")).run_in_background()

    def _backed_up(self, path: Path) -> None:
        self.load()
        self.message.show_message(
            Outcome.OK, self.tr("Backup written and checked whole: {path}").format(path=path)
        )

    # Verify

    def verify(self) -> None:
        path = self._chosen(self.tr("Verify a backup"))
        if path is None:
            return
        ctx = self.ctx
        BackgroundOp(self, lambda: shelf.check_backup(ctx, path)).success(self._verified).failure(
            self._refused
        ).with_progress(self.tr("Checking {name}…").format(name=path.name)).run_in_background()

    def summary(self, checked: Checked) -> str:
        manifest = checked.backup.manifest
        lines = [
            self.tr("{name} is whole: it can be restored.").format(name=checked.backup.path.name)
        ]
        if manifest is None:
            lines.append(self.tr("A backup of an older RepairFloor, without a manifest."))
        else:
            lines.append(
                self.tr("{kind} backup of {center}, made {made} by RepairFloor {version}.").format(
                    kind=tr_app(KIND_NAMES[manifest.database]),
                    center=manifest.center_name or "-",
                    made=manifest.created_at,
                    version=manifest.app_version,
                )
            )
        lines.append(
            self.tr(
                "Schema {revision}; {tables} tables, {orders} repair orders, {rows} rows."
            ).format(
                revision=checked.revision,
                tables=len(checked.tables),
                orders=checked.tables.get("repair_orders", 0),
                rows=sum(checked.tables.values()),
            )
        )
        return "\n".join(lines)

    def _verified(self, checked: Checked) -> None:
        self.load()
        text = self.summary(checked)
        self.message.show_message(Outcome.OK, text.splitlines()[0])
        QMessageBox.information(self, self.tr("Backup checked"), text)

    # Restore

    def restore(self) -> None:
        path = self._chosen(self.tr("Restore a backup"))
        if path is None:
            return
        try:
            found = open_backup(path)
        except DomainError as error:
            self._refused(error)
            return
        made = found.manifest.created_at if found.manifest else self.tr("unknown")
        center = (found.manifest.center_name if found.manifest else "") or "-"
        question = self.tr(
            "Replace everything in {database} (every order, user and setting) with the backup "
            "{name} of {center}, made {made}?\n\nThe current database is kept as a pre-restore "
            "copy first. Everyone at this station signs in again afterwards."
        ).format(database=self.ctx.db.display_name, name=path.name, center=center, made=made)
        answer = QMessageBox.question(
            self,
            self.tr("Restore a backup"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._start_restore(path, None)

    def _start_restore(self, path: Path, reason: str | None) -> None:
        ctx, keep = self.ctx, self.folder
        if self.changes is not None:  # its connection would keep the database from switching
            self.changes.stop_watching()
        BackgroundOp(
            self, lambda: shelf.restore_backup(ctx, path, keep, foreign_reason=reason)
        ).success(self._restored).failure(
            lambda error: self._restore_refused(path, error)
        ).with_progress(self.tr("Restoring {name}…").format(name=path.name)).run_in_background()

    def _restore_refused(self, path: Path, error: DomainError) -> None:
        if self.changes is not None:
            self.changes.watch_again()
        if isinstance(error, ForeignBackup):
            reason, ok = QInputDialog.getText(
                self,
                self.tr("Another center's backup"),
                domain_message(error) + "\n\n" + self.tr("Reason (recorded in the audit log):"),
            )
            if ok and reason.strip():
                self._start_restore(path, reason.strip())
                return
        self._refused(error)

    def _restored(self, done: Restored) -> None:
        text = self.tr("{name} was restored.").format(name=done.checked.backup.path.name)
        if done.kept:
            text += "\n" + self.tr("What it replaced is kept: {kept}").format(kept=done.kept)
        self.message.show_message(Outcome.OK, text)
        QMessageBox.information(
            self, self.tr("Restore a backup"), text + "\n\n" + self.tr("Sign in again.")
        )
        self.database_replaced.emit()
