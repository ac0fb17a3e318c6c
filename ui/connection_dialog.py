"""Which database this station opens: this PC's SQLite file, or the center's PostgreSQL server
(several stations on one database). A connection test answers in words; the choice applies at
the next start (open work stays where it is).

An administrator on a PC's SQLite database can also move it to the server from here: the core's
``move_station`` (the same move as ``repairfloor move``) runs off the UI thread, the dialog shows
each table as its copy starts, and the server becomes this station's database (its password in
the system's keyring, never in the settings file)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import ArgumentError

from app.admin.backup.moving import move_station, shown
from app.admin.first_run import ServerCheck, check_server, local_database_url
from app.context import Context
from app.errors import DomainError
from app.permissions import Permission
from ui import station_settings
from ui.i18n import domain_message, tr_app
from ui.ops import BackgroundOp
from ui.widgets.feedback import MessageLine, Outcome


def _shown(text: str) -> str:
    """The address as typed, without its password."""
    try:
        return shown(text.strip())
    except ArgumentError:
        return text.strip()


class _Progress(QObject):
    """The move's progress, from the worker thread to the dialog (a queued signal)."""

    table = Signal(str, int, int)


class ConnectionDialog(QDialog):
    moved = Signal(str)  # the server (without its password) this PC's database moved to

    def __init__(self, parent: QWidget | None = None, ctx: Context | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("connectionDialog")
        self.setWindowTitle(self.tr("Database connection"))
        remembered = station_settings.remembered_database_url()  # without its password
        self.local = QRadioButton(self.tr("This PC only (the database file on this PC)"), self)
        self.local.setObjectName("localChoice")
        self.server = QRadioButton(self.tr("The center's server (PostgreSQL)"), self)
        self.server.setObjectName("serverChoice")
        self.url = QLineEdit(remembered if remembered.startswith("postgresql") else "", self)
        self.url.setObjectName("serverUrl")
        self.url.setPlaceholderText("postgresql://user:password@server/repairfloor")
        self.url.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        test = QPushButton(self.tr("Test connection"), self)
        test.setObjectName("testConnectionButton")
        test.clicked.connect(self.test_connection)
        self.message = MessageLine(self)
        (self.server if self.url.text() else self.local).setChecked(True)
        self.server.toggled.connect(self.url.setEnabled)
        self.url.setEnabled(self.server.isChecked())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.url, 1)
        row.addWidget(test)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.server)
        layout.addLayout(row)
        self.move_button = QPushButton(self.tr("Move this PC's database to the server…"), self)
        self.move_button.setObjectName("moveToServerButton")
        self.move_button.clicked.connect(self.ask_move)
        self.move_button.setVisible(
            ctx is not None and ctx.db.is_sqlite and ctx.actor.can(Permission.MANAGE_USERS)
        )
        self.move_button.setEnabled(self.server.isChecked())
        self.server.toggled.connect(self.move_button.setEnabled)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("moveProgress")
        self.progress.setVisible(False)
        self._progress = _Progress(self)
        self._progress.table.connect(self._show_table)
        layout.addWidget(self.move_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(
            QLabel(self.tr("The new choice applies the next time RepairFloor starts."), self)
        )
        layout.addWidget(buttons)
        self.last_check: ServerCheck | None = None

    def test_connection(self) -> None:
        text = self.url.text()
        self.message.show_message(Outcome.WARNING, self.tr("Testing…"))
        BackgroundOp(self, lambda: check_server(text)).success(self.show_check).run_in_background()

    def show_check(self, check: ServerCheck) -> None:
        self.last_check = check
        self.message.show_message(Outcome.OK if check.ok else Outcome.ERROR, check.message(tr_app))

    def save(self) -> None:
        if self.server.isChecked():
            check = check_server(self.url.text())
            self.show_check(check)
            if not check.ok:
                return  # what was typed stays: correct it and try again
            station_settings.remember_database_url(self.url.text().strip())
        else:
            station_settings.remember_database_url(local_database_url())
        self.accept()

    # The move to the server

    def ask_move(self) -> None:
        question = self.tr(
            "Copy every record of this PC's database to the server {server}?\n\nThe server's "
            "database must be empty. Other stations using this PC's file are told and let go "
            "first. This PC's file is kept as it is, marked as moved; RepairFloor then opens "
            "the server."
        ).format(server=_shown(self.url.text()))
        answer = QMessageBox.question(
            self,
            self.tr("Move to the server"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.start_move()

    def start_move(self) -> None:
        assert self.ctx is not None
        ctx, text, relay = self.ctx, self.url.text(), self._progress.table
        self.move_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.message.show_message(Outcome.WARNING, self.tr("Moving…"))
        BackgroundOp(
            self, lambda: move_station(ctx, text, lambda *step: relay.emit(*step))
        ).success(self._moved).failure(self._move_refused).run_in_background()

    def _show_table(self, table: str, number: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(number)
        self.progress.setFormat(f"{table} ({number}/{total})")

    def _move_refused(self, error: DomainError) -> None:
        self.progress.setVisible(False)
        self.move_button.setEnabled(self.server.isChecked())
        self.message.show_message(Outcome.ERROR, domain_message(error))

    def _moved(self, done: tuple[str, dict[str, int]]) -> None:
        url, counts = done
        station_settings.remember_database_url(url)  # its password goes to the keyring
        self.progress.setValue(self.progress.maximum())
        shown = _shown(url)
        self.message.show_message(
            Outcome.OK,
            self.tr(
                "Moved {rows} records in {tables} tables to {server}. This station opens the "
                "server from now on: start RepairFloor again."
            ).format(rows=sum(counts.values()), tables=len(counts), server=shown),
        )
        self.moved.emit(shown)
