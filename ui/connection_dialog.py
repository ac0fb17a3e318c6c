"""Which database this station opens: this PC's SQLite file, or the center's PostgreSQL server
(several stations on one database). A connection test answers in words; the choice applies at
the next start (open work stays where it is)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.admin.first_run import ServerCheck, check_server, local_database_url
from ui import station_settings
from ui.i18n import tr_app
from ui.ops import BackgroundOp
from ui.widgets.feedback import MessageLine, Outcome


class ConnectionDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
