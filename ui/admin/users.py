"""The Users page (administrator only): create, edit roles / name / badge, disable or enable
(never delete), reset a password (changed at next sign-in), unlock a locked account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.admin import users as admin_users
from app.context import Context
from app.errors import Conflict, DomainError
from app.models import Role, User
from app.users import create_user, list_users
from ui.changes import ChangeBridge, when_seen
from ui.i18n import domain_message, format_time, role_label, roles_text
from ui.login import PinDialog
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.widgets.feedback import MessageLine, Outcome
from ui.widgets.floor_action import busy, run_floor_action
from ui.widgets.table_view import DataTableView


def _account(user: User) -> str:
    if not user.active:
        return QCoreApplication.translate("AdminTab", "disabled")
    if user.locked_until is not None:
        return QCoreApplication.translate("AdminTab", "locked until {time}").format(
            time=format_time(user.locked_until)
        )
    return QCoreApplication.translate("AdminTab", "active")


USER_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "User name"), lambda u: u.username),
    Column(QT_TRANSLATE_NOOP("Columns", "Name"), lambda u: u.display_name),
    Column(QT_TRANSLATE_NOOP("Columns", "Roles"), lambda u: roles_text(u.roles)),
    Column(QT_TRANSLATE_NOOP("Columns", "Badge"), lambda u: u.badge_code or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Bench"), lambda u: u.bench or ""),
    Column(QT_TRANSLATE_NOOP("Columns", "Account"), _account),
    Column(QT_TRANSLATE_NOOP("Columns", "Created"), lambda u: format_time(u.created_at)),
)
USER_TABLES = frozenset({"users", "user_roles"})


class UserDialog(QDialog):
    """A new user (user name and first password) or an existing one (name, roles, badge)."""

    saved = Signal()

    def __init__(self, ctx: Context, user: User | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userDialog")
        self.ctx, self.user = ctx, user
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("New user"))
        self.username = QLineEdit(user.username if user else "", self)
        self.username.setObjectName("userName")
        self.username.setEnabled(user is None)
        self.display_name = QLineEdit(user.display_name if user else "", self)
        self.display_name.setObjectName("userDisplayName")
        self.password = QLineEdit(self)
        self.password.setObjectName("userPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.badge = QLineEdit((user.badge_code or "") if user else "", self)
        self.badge.setObjectName("userBadge")
        self.roles: dict[Role, QCheckBox] = {}
        roles_box = QWidget(self)
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        for role in Role:
            box = QCheckBox(role_label(role), roles_box)
            box.setObjectName(f"role_{role.value}")
            box.setChecked(bool(user and role in user.roles))
            self.roles[role] = box
            roles_layout.addWidget(box)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name"), self.display_name)
        if user is None:
            form.addRow(self.tr("First password"), self.password)
        form.addRow(self.tr("Badge"), self.badge)
        form.addRow(self.tr("Roles"), roles_box)
        self.message = MessageLine(self)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Saved on the floor worker (OK waits); closed once saved, open with the reason on a
        refusal (another administrator saved first: the list is read again)."""
        if busy(self.ok_button):
            return
        roles = {role for role, box in self.roles.items() if box.isChecked()}
        ctx, user = self.ctx, self.user
        display_name, badge = self.display_name.text(), self.badge.text().strip() or None
        if user is None:
            username, password = self.username.text(), self.password.text()

            def save() -> None:
                create_user(
                    ctx,
                    username,
                    password,
                    roles,
                    display_name=display_name.strip() or None,
                    badge_code=badge,
                    must_change_password=True,
                )
        else:
            renamed = display_name.strip() != user.display_name

            def save() -> None:
                admin_users.edit_user(
                    ctx,
                    user.id,
                    display_name=display_name if renamed else None,
                    roles=roles if roles != set(user.roles) else None,
                    badge_code=badge,
                    change_badge=badge != user.badge_code,
                    expected_version=user.version,  # the user as this dialog loaded it
                )

        def refused(error: DomainError) -> None:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            if isinstance(error, Conflict):
                self.saved.emit()

        run_floor_action(self, save, self._saved, failed=refused, button=self.ok_button)

    def _saved(self, _none: None) -> None:
        self.saved.emit()
        self.accept()


class UsersPanel(QWidget):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPanel")
        self.ctx = ctx
        self.dialog: UserDialog | None = None
        self.model = ListTableModel(USER_COLUMNS, lambda: list_users(ctx), tables=USER_TABLES)
        self.model.setParent(self)
        self.view = DataTableView(self.model, "usersTable", self)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.message = MessageLine(self)
        buttons = QHBoxLayout()
        for name, text, slot in (
            ("newUserButton", self.tr("New user"), self.new_user),
            ("editUserButton", self.tr("Edit"), self.edit_selected),
            ("toggleUserButton", self.tr("Disable / enable"), self.toggle_selected),
            ("resetPasswordButton", self.tr("Reset password"), self.reset_selected),
            ("unlockUserButton", self.tr("Unlock"), self.unlock_selected),
            ("setPinButton", self.tr("Set PIN…"), self.set_pin_selected),
        ):
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        when_seen(self, changes, self.model.refresh_if_changed)

    def selected(self) -> User | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            self.message.show_message(Outcome.WARNING, self.tr("Select a user first."))
            return None
        return self.model.row_object(rows[0].row())

    def _open(self, user: User | None) -> UserDialog:
        self.dialog = UserDialog(self.ctx, user, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.saved.connect(self.model.refresh)
        self.dialog.open()
        return self.dialog

    def new_user(self) -> UserDialog:
        return self._open(None)

    def edit_selected(self) -> UserDialog | None:
        user = self.selected()
        return None if user is None else self._open(user)

    def _run(self, action: Callable[[], Any], done: Callable[[Any], str]) -> None:
        """``action`` (plain data) on the floor worker; the list read again and ``done(result)``
        said; a refusal said (a conflict: the list as saved now)."""

        def finished(result: Any) -> None:
            self.model.refresh()
            self.message.show_message(Outcome.OK, done(result))

        def refused(error: DomainError) -> None:
            self.message.show_message(Outcome.ERROR, domain_message(error))
            if isinstance(error, Conflict):  # changed meanwhile: show the list as saved now
                self.model.refresh()

        run_floor_action(self, action, finished, failed=refused)

    def toggle_selected(self) -> None:
        user = self.selected()
        if user is not None:
            done = self.tr("{user} enabled.") if not user.active else self.tr("{user} disabled.")
            ctx, said = self.ctx, done.format(user=user.username)
            self._run(
                lambda: admin_users.set_active(
                    ctx, user.id, not user.active, expected_version=user.version
                ),
                lambda _none: said,
            )

    def reset_selected(self) -> None:
        user = self.selected()
        if user is None:
            return
        ctx = self.ctx
        said = self.tr("New password for {user}: {password} — they must change it at next sign-in.")
        self._run(
            lambda: admin_users.reset_password(ctx, user.id, expected_version=user.version),
            lambda password: said.format(user=user.username, password=password),
        )

    def unlock_selected(self) -> None:
        user = self.selected()
        if user is not None:
            ctx, said = self.ctx, self.tr("{user} unlocked.").format(user=user.username)
            self._run(
                lambda: admin_users.unlock_user(ctx, user.id, expected_version=user.version),
                lambda _none: said,
            )

    def set_pin_selected(self) -> PinDialog | None:
        """The sign-in PIN of the selected person (who has a badge), typed twice."""
        user = self.selected()
        if user is None:
            return None
        if not user.badge_code:
            self.message.show_message(
                Outcome.WARNING,
                self.tr("{user} has no badge code: give them one first (Edit), then a PIN.").format(
                    user=user.username
                ),
            )
            return None
        dialog = PinDialog(
            self.ctx, self, (user.id, user.display_name or user.username, user.version)
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def saved() -> None:
            self.model.refresh()
            self.message.show_message(
                Outcome.OK, self.tr("PIN set for {user}.").format(user=user.username)
            )

        dialog.accepted.connect(saved)
        dialog.open()
        return dialog
