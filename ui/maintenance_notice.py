"""The notice that covers the window while another station restores (or moves) the database:
"数据库正在恢复 / The database is being restored", who does it, and that this station signs in
again when it is done. It cannot be closed by hand: every read and write is refused meanwhile
(app/maintenance.py); "Quit RepairFloor" is the one way out (a database moved to the server
for good is not coming back)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.errors import DomainError
from ui.i18n import domain_message


class MaintenanceNotice(QDialog):
    def __init__(self, refusal: DomainError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("maintenanceNotice")
        kind = refusal.params.get("kind")
        title = {
            "move": self.tr("The database is being moved to the server"),
            "moved": self.tr("The database was moved to the server"),
        }.get(str(kind), self.tr("The database is being restored"))
        self.setWindowTitle(title)
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self._finished = False
        self.title = QLabel(title, self)
        self.title.setObjectName("maintenanceTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel(domain_message(refusal), self)
        self.detail.setObjectName("maintenanceDetail")
        self.detail.setWordWrap(True)
        self.wait = QLabel(
            self.tr(
                "Please wait: nothing can be saved meanwhile. When it is done, this window "
                "closes and you sign in again."
            ),
            self,
        )
        self.wait.setWordWrap(True)
        self.quit_button = QPushButton(self.tr("Quit RepairFloor"), self)
        self.quit_button.setObjectName("maintenanceQuit")
        self.quit_button.clicked.connect(QApplication.quit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.wait)
        layout.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(480)

    @staticmethod
    def sign_in_again() -> str:
        return QCoreApplication.translate(
            "MaintenanceNotice",
            "The database was restored (or moved) at another station. Sign in again.",
        )

    def finish(self) -> None:
        """The work is over: the notice goes (the station signs in again)."""
        self._finished = True
        self.accept()

    def reject(self) -> None:  # Esc: it stays while the work runs
        if self._finished:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._finished:
            event.accept()
        else:
            event.ignore()
