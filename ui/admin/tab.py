"""System administration (系统管理): users (administrator only), catalogues, center settings and
the audit log and the backups, each on its own page. Every change made here is audited by the core."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from app.context import Context
from app.permissions import Permission
from ui.admin.audit_log import AuditPanel
from ui.admin.backups import BackupsPanel
from ui.admin.care_settings import CareSettingsPanel
from ui.admin.catalogs import CataloguesPanel
from ui.admin.settings import SettingsPanel
from ui.admin.users import UsersPanel
from ui.changes import ChangeBridge
from ui.widgets.floor_tab import FloorTab


class AdminTab(FloorTab):
    # A backup was restored over this station's database: sign in again (main window).
    database_replaced = Signal()

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QWidget | None = None) -> None:
        super().__init__(ctx, changes, object_name="adminTab", with_scan=False, parent=parent)
        self.set_header(
            self.tr("System administration"),
            self.tr(
                "Users, catalogues, center settings, the audit log and backups. Every change is "
                "audited."
            ),
        )
        self.pages = QTabWidget(self)
        self.pages.setObjectName("adminPages")
        self.users: UsersPanel | None = None
        if ctx.actor.can(Permission.MANAGE_USERS):
            self.users = UsersPanel(ctx, changes, self.pages)
            self.pages.addTab(self.users, self.tr("Users"))
        self.catalogues = CataloguesPanel(ctx, changes, self.pages)
        self.pages.addTab(self.catalogues, self.tr("Catalogues"))
        self.settings = SettingsPanel(ctx, self.pages)
        self.pages.addTab(self.settings, self.tr("Center settings"))
        self.care_settings = CareSettingsPanel(ctx, self.pages)
        self.pages.addTab(self.care_settings, self.tr("Customer care"))
        self.audit = AuditPanel(ctx, changes, self.pages)
        self.pages.addTab(self.audit, self.tr("Audit log"))
        self.backups = BackupsPanel(ctx, changes, self.pages)
        self.backups.database_replaced.connect(self.database_replaced)
        self.pages.addTab(self.backups, self.tr("Backups"))
        self.add_widget(self.pages)
