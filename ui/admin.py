"""System administration (系统管理): the people who sign in, their roles and their accounts."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QWidget

from app.context import Context
from app.models import User
from app.users import list_users
from ui.changes import ChangeBridge
from ui.i18n import format_time, roles_text
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.widgets.floor_tab import FloorTab
from ui.widgets.sections import TableSection


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
    Column(QT_TRANSLATE_NOOP("Columns", "Account"), _account),
    Column(QT_TRANSLATE_NOOP("Columns", "Created"), lambda u: format_time(u.created_at)),
)
USER_TABLES = frozenset({"users", "user_roles"})


class AdminTab(FloorTab):
    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(ctx, changes, object_name="adminTab", with_scan=False, parent=parent)
        self.set_header(
            self.tr("System administration"),
            self.tr("Users and roles; catalogues, carriers, racks and the calendar come next."),
        )
        self.users = TableSection(
            self.tr("Users"),
            ListTableModel(USER_COLUMNS, lambda: list_users(ctx.db), tables=USER_TABLES),
            "usersTable",
        )
        self.add_section(self.users)
