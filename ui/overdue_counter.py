"""The status-bar counter of overdue complaint steps and follow-up calls, for customer service
and supervisors. Wire it with :func:`install_overdue_counter` (main window, once)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.context import Context
from app.permissions import Permission
from ui.changes import ChangeBridge
from ui.ops import LatestRead

WATCHED_TABLES = frozenset({"complaints", "follow_ups"})
REFRESH_MS = 60_000  # deadlines pass without any write: look again every minute


def _count(ctx: Context) -> tuple[int, int]:  # on the read worker
    from app import complaints  # imported here, off the UI thread, not at start-up
    from app.complaints import followups

    now = ctx.now()
    return complaints.count_overdue(ctx, now), followups.count_overdue(ctx, now)


class OverdueCounter(QLabel):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overdueCounter")
        self.ctx = ctx
        self.complaints_overdue = 0
        self.calls_overdue = 0
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._reads = LatestRead(self, self._show)
        self.refresh()

    @property
    def count(self) -> int:
        return self.complaints_overdue + self.calls_overdue

    def refresh(self) -> None:
        """Count again, on the read worker."""
        ctx = self.ctx  # the work holds plain data, never this label
        self._reads.run(lambda: _count(ctx))

    def _show(self, counts: tuple[int, int]) -> None:
        self.complaints_overdue, self.calls_overdue = counts
        self.setText(
            self.tr("Overdue: {complaints} complaints, {calls} calls").format(
                complaints=self.complaints_overdue, calls=self.calls_overdue
            )
        )
        colour = "background: #c62828; color: white;" if self.count else "color: #555;"
        self.setStyleSheet(f"QLabel {{ {colour} padding: 1px 8px; border-radius: 3px; }}")

    def on_tables_changed(self, tables: frozenset[str]) -> None:
        if tables & WATCHED_TABLES:
            self.refresh()


def install_overdue_counter(
    ctx: Context, changes: ChangeBridge, status_bar: QStatusBar
) -> OverdueCounter | None:
    """Add the counter to the status bar for people who handle complaints; None for others."""
    if not ctx.actor.can(Permission.HANDLE_COMPLAINTS):
        return None
    counter = OverdueCounter(ctx, status_bar)
    changes.tables_changed.connect(counter.on_tables_changed)
    status_bar.addPermanentWidget(counter)
    return counter
