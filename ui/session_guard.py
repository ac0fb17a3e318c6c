"""Sign the station out when the signed-in person is disabled or their roles change.

The core refuses their writes already (``SignedOut``, see app/context.py); this watches the
``users`` and ``user_roles`` tables (the change broadcast: this station's and the others'
commits) and, as a fallback, looks every minute. When the account no longer matches the sign-in,
``signed_out`` is emitted once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from app import users
from app.context import Context
from ui.changes import ChangeBridge

WATCHED_TABLES = frozenset({"users", "user_roles"})
CHECK_EVERY_MS = 60_000


class SessionGuard(QObject):
    signed_out = Signal()

    def __init__(self, ctx: Context, changes: ChangeBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionGuard")
        self._ctx = ctx
        self._done = False
        changes.tables_changed.connect(self._tables_changed)
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
