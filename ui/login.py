"""Sign-in: user name and password, or a scanned badge and its PIN; Enter submits; a refusal is
shown in red, the dialog stays.

The password check (scrypt, deliberately slow) runs off the UI thread. A user who must change
the password (new account, reset by a supervisor) chooses a new one before the window opens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import users
from app.admin import users as admin_users
from app.clock import Clock
from app.context import Actor, Context
from app.db import Database
from app.errors import DomainError
from ui import settings
from ui.i18n import domain_message
from ui.icons import app_icon
from ui.ops import BackgroundOp

ERROR_STYLE = "QLabel { color: #b00020; font-weight: bold; }"


def _password_field(parent: QWidget, object_name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(object_name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _EnterSubmitsDialog(QDialog):
    """Enter in a field submits (``returnPressed``); no default button clicks a second time."""

    def connect_enter(self, buttons: QDialogButtonBox, *fields: QLineEdit) -> None:
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)
        for field in fields:
            field.returnPressed.connect(self.submit)

    def submit(self) -> None:
        raise NotImplementedError

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # the field's returnPressed has submitted already
            return
        super().keyPressEvent(event)


class LoginDialog(_EnterSubmitsDialog):
    def __init__(
        self,
        db: Database,
        station: str,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        notice: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in"))  # Qt adds " — RepairFloor"
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(380)
        self._db, self._station, self._clock = db, station, clock
        self.actor: Actor | None = None
        self._signing_in = False
        self.password = ""

        self.username = QLineEdit(self)
        self.username.setObjectName("usernameInput")
        self.username.setText(settings.LAST_USERNAME.get())
        self.password_input = _password_field(self, "passwordInput")
        self.message = QLabel(self)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(notice)  # e.g. why the station was signed out
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.connect_enter(self.buttons, self.username, self.password_input)

        form = QFormLayout()
        form.addRow(self.tr("User name or badge"), self.username)
        form.addRow(self.tr("Password or PIN"), self.password_input)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Station {station}").format(station=station), self)
        title.setObjectName("loginStation")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        # The next person at a shared PC starts in the user field (the last name selected, so
        # typing replaces it), never in the password field under someone else's name.
        self.username.selectAll()
        self.username.setFocus()

    def submit(self) -> None:
        username, password = self.username.text(), self.password_input.text()
        if not username.strip():
            self.username.setFocus()
            return
        if not password:  # Enter in the user name field: go on to the password
            self.password_input.setFocus()
            return
        if self._signing_in:  # Enter pressed again while the password is checked
            return
        self.message.clear()
        self._signing_in = True
        BackgroundOp(
            self,
            lambda: users.sign_in_any(  # a scanned badge signs in with its PIN
                self._db, username, password, station=self._station, clock=self._clock
            ),
        ).success(lambda actor: self._signed_in(actor, password)).failure(
            self._refused
        ).with_progress(self.tr("Signing in…")).run_in_background()

    def _refused(self, error: DomainError) -> None:
        self._signing_in = False
        self.message.setText(domain_message(error))
        self.password_input.selectAll()
        self.password_input.setFocus()

    def _signed_in(self, actor: Actor, password: str) -> None:
        self._signing_in = False
        self.actor, self.password = actor, password
        settings.LAST_USERNAME.set(actor.username)
        assert actor.user_id is not None
        if users.must_change_password(self._db, actor.user_id):
            change = ChangePasswordDialog(
                Context(self._db, actor, self._station, self._clock), password, self
            )
            change.finished.connect(
                lambda result: (
                    self.accept()
                    if result == QDialog.DialogCode.Accepted
                    else self._refused_change()
                )
            )
            change.open()
            return
        self.accept()

    def _refused_change(self) -> None:
        self.actor = None
        self.message.setText(self.tr("Choose a new password to sign in."))


class _TypedTwiceDialog(_EnterSubmitsDialog):
    """A new secret typed twice (the two fields, a red message, OK/Cancel); ``save`` keeps it."""

    def __init__(
        self, parent: QWidget | None, name: str, title: str, hint: str, labels: tuple[str, str]
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Dialog")
        self.setWindowTitle(title)
        self.first = _password_field(self, f"new{name[0].upper()}{name[1:]}Input")
        self.second = _password_field(self, f"repeat{name[0].upper()}{name[1:]}Input")
        self.message = QLabel(self)
        self.message.setObjectName(f"{name}Message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.connect_enter(buttons, self.first, self.second)
        form = QFormLayout()
        form.addRow(labels[0], self.first)
        form.addRow(labels[1], self.second)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(hint, self))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def differ_message(self) -> str:
        raise NotImplementedError

    def save(self, secret: str) -> None:
        raise NotImplementedError

    def submit(self) -> None:
        if self.first.text() != self.second.text():
            self.message.setText(self.differ_message())
            return
        try:
            self.save(self.first.text())
        except DomainError as error:
            self.message.setText(domain_message(error))
            return
        self.accept()


class ChangePasswordDialog(_TypedTwiceDialog):
    """A new password, typed twice; the old one is the one just used to sign in."""

    def __init__(self, ctx: Context, old_password: str, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            "password",
            self.tr("Choose a new password"),
            self.tr("Your password must be changed before you start."),
            (self.tr("New password"), self.tr("Again")),
        )
        self.setObjectName("changePasswordDialog")
        self.message.setObjectName("changePasswordMessage")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._ctx, self._old_password = ctx, old_password

    def differ_message(self) -> str:
        return self.tr("The two passwords differ.")

    def save(self, secret: str) -> None:
        users.change_password(self._ctx, self._old_password, secret)


class PinDialog(_TypedTwiceDialog):
    """A sign-in PIN (badge then PIN at a shared station), typed twice: one's own, or, from the
    administrator's users page, another person's (``user``: their id, name and loaded version)."""

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        user: tuple[int, str, int] | None = None,
    ) -> None:
        if user is None:
            hint = self.tr(
                "Scan your badge at the sign-in, then type this PIN ({low}–{high} digits)."
            )
        else:
            hint = self.tr(
                "{user} scans their badge at the sign-in, then types this PIN ({low}–{high} digits)."
            )
        super().__init__(
            parent,
            "pin",
            self.tr("Sign-in PIN"),
            hint.format(
                user=user[1] if user else "", low=users.PIN_MIN_LENGTH, high=users.PIN_MAX_LENGTH
            ),
            (self.tr("New PIN"), self.tr("Again")),
        )
        self._ctx, self._user = ctx, user

    def differ_message(self) -> str:
        return self.tr("The two PINs differ.")

    def save(self, secret: str) -> None:
        if self._user is None:
            users.set_pin(self._ctx, secret)
        else:
            user_id, _name, version = self._user
            admin_users.set_pin(self._ctx, user_id, secret, expected_version=version)
