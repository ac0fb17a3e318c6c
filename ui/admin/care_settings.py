"""The customer-care settings page: the text-message provider, the survey and the care clocks,
and the provider's secret, which this station keeps (app.credentials), never the settings."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app import care_settings, credentials
from app.complaints import sending
from app.context import Context
from app.permissions import Permission
from ui.admin.settings import SettingsPanel
from ui.ops import LatestRead


class CareSettingsPanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("careSettingsPanel")
        self.ctx = ctx
        self.settings = SettingsPanel(ctx, self, specs=care_settings.CARE_SETTINGS_PAGE)
        self.secret = QLineEdit(self)
        self.secret.setObjectName("providerSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("Alibaba Cloud SMS: AccessKey secret"))
        self.keep = QPushButton(self.tr("Keep the secret on this station"), self)
        self.keep.setObjectName("keepSecretButton")
        self.keep.clicked.connect(self.keep_secret)
        self.note = QLabel(self)
        self.note.setObjectName("secretNote")
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.secret, 1)
        row.addWidget(self.keep)
        layout = QVBoxLayout(self)
        layout.addWidget(self.settings, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self._kept = LatestRead(self, self._show_kept)
        self._show_note()

    def _show_note(self) -> None:
        """Whether this station keeps the secret: asked of the system's keyring on the read
        worker (loading the keyring and asking it took 1.5 s of the admin tab's first show)."""
        self._kept.run(lambda: credentials.secret(sending.ALIYUN_SECRET_NAME) is not None)

    def _show_kept(self, kept: bool) -> None:
        self.note.setText(
            self.tr("This station holds the provider's secret: it sends the notices.")
            if kept
            else self.tr("This station holds no provider secret: it does not send notices.")
        )

    def keep_secret(self) -> None:
        self.ctx.require(Permission.ADMINISTER)
        credentials.store_secret(sending.ALIYUN_SECRET_NAME, self.secret.text())
        self.secret.clear()
        self._show_note()
