"""Sign the station out when the signed-in person is disabled or their roles change, or when
another station restores (or moves) the database.

The core refuses their writes already (``SignedOut``, see app/context.py); this watches the
``users`` and ``user_roles`` tables (the change broadcast: this station's and the others'
commits) and, as a fallback, looks every minute. When the account no longer matches the sign-in,
``signed_out`` is emitted once.

While another station restores the database (``ChangeBridge.database_closed``), a notice covers
the window ("数据库正在恢复"): the core refuses every read and write meanwhile. When it is over
(``database_back``) the database is opened again and ``signed_out`` is emitted with ``notice``
saying why: the station signs in again on the restored database.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from app import users
from app.context import Context
from app.errors import DomainError
from ui.changes import ChangeBridge
from ui.maintenance_notice import MaintenanceNotice

WATCHED_TABLES = frozenset({"users", "user_roles"})
CHECK_EVERY_MS = 60_000


class SessionGuard(QObject):
    signed_out = Signal()

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionGuard")
        self._ctx = ctx
        self._done = False
        self.notice = ""  # why the station signs in again, when it is not the account
        self.maintenance: MaintenanceNotice | None = None
        changes.tables_changed.connect(self._tables_changed)
        changes.database_closed.connect(self._database_closed)
        changes.database_back.connect(self._database_back)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    @Slot(object)
    def _tables_changed(self, tables: frozenset[str]) -> None:
        if tables & WATCHED_TABLES:
            self.check()

    @Slot()
    def check(self) -> bool:
        """True while the person may go on; emits ``signed_out`` (once) when not."""
        if self._done:
            return False
        try:
            still = users.still_signed_in(self._ctx.db, self._ctx.actor)
        except Exception:  # the database is away: the next write says so; look again later
            return True
        if not still:
            self._done = True
            self._timer.stop()
            self.signed_out.emit()
        return still

    @Slot(object)
    def _database_closed(self, refusal: DomainError) -> None:
        parent = self.parent()
        window = parent if isinstance(parent, QWidget) else None
        if self.maintenance is None:
            self.maintenance = MaintenanceNotice(refusal, window)
        self.maintenance.open()

    @Slot()
    def _database_back(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        if self.maintenance is not None:
            self.maintenance.finish()
        self.notice = MaintenanceNotice.sign_in_again()
        self._ctx.db.reopen()
        self.signed_out.emit()
