"""The outbox's timer on a customer-service station: every ``notices.send_every_minutes`` a pass
of :func:`app.complaints.notice_runner.scheduled_pass` runs off the UI thread (no busy cursor:
nobody asked for it), and its state — which station sends, the last pass, its counts or its
error — is shown on the customer-care page. The turn in the database makes one station send at
a time; closing the window gives the turn back."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.complaints import notice_runner
from app.complaints.notice_runner import SenderState
from app.context import Context
from app.errors import DomainError
from app.localtime import local_text
from ui.i18n import domain_message
from ui.ops import BackgroundOp

OFF_CHECK = timedelta(minutes=5)  # timer off: look at the setting again this often


class _QuietOp(BackgroundOp[SenderState]):
    """A pass nobody clicked for: no busy cursor over the clerk's work."""

    def _show_busy_cursor(self) -> None:
        pass


class NoticeTimer(QObject):
    state_changed = Signal(object)  # SenderState, or a DomainError's text (str)

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeTimer")
        self.ctx = ctx
        self.state: SenderState | str | None = None
        self.running = False
        self.took_turn = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        """The first pass one interval from now (the interval read off the UI thread)."""
        ctx = self.ctx
        op = _QuietOp(None, lambda: (notice_runner.interval(ctx), notice_runner.sender_state(ctx)))
        op.success(lambda answer: self._schedule(*answer))  # type: ignore[arg-type]
        op.failure(self._failed)
        op.run_in_background()

    def _schedule(self, every: timedelta | None, state: SenderState) -> None:
        self._show(state)
        self.timer.start(int((every or OFF_CHECK).total_seconds() * 1000))

    def tick(self) -> None:
        if self.running:
            return
        self.running = True
        ctx = self.ctx

        def work() -> tuple[timedelta | None, SenderState]:
            state = notice_runner.scheduled_pass(ctx)
            return notice_runner.interval(ctx), state

        op = _QuietOp(None, work)  # type: ignore[arg-type]
        op.success(lambda answer: self._passed(*answer))  # type: ignore[arg-type]
        op.failure(self._failed)
        op.always(self._done)
        op.run_in_background()

    def _passed(self, every: timedelta | None, state: SenderState) -> None:
        self.took_turn = self.took_turn or state.station == self.ctx.station
        self._schedule(every, state)

    def _failed(self, error: DomainError) -> None:
        self.running = False
        self._show(domain_message(error))
        self.timer.start(int(OFF_CHECK.total_seconds() * 1000))

    def _done(self) -> None:
        self.running = False

    def _show(self, state: SenderState | str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def stop(self) -> None:
        """The window closes: no more passes, and the turn given back if this station held it."""
        self.timer.stop()
        if self.took_turn:
            try:
                notice_runner.release_turn(self.ctx)
            except DomainError:
                pass  # the turn lapses by itself


def state_text(state: SenderState | str | None, station: str) -> str:
    """The timer's state in a line for the care page."""
    if state is None:
        return QCoreApplication.translate("NoticeTimer", "Automatic sending: not started yet.")
    if isinstance(state, str):
        return QCoreApplication.translate(
            "NoticeTimer", "Automatic sending stopped: {error}"
        ).format(error=state)
    if state.station is None and state.last_at is None:
        return QCoreApplication.translate(
            "NoticeTimer", "Automatic sending: no pass yet (or off in the settings)."
        )
    who = (
        QCoreApplication.translate("NoticeTimer", "this station")
        if state.station == station
        else (state.station or QCoreApplication.translate("NoticeTimer", "no station"))
    )
    last = local_text(state.last_at, missing="-")
    if state.error:
        result = QCoreApplication.translate(
            "NoticeTimer", "failed: {error} (tried again at the next pass)"
        ).format(error=state.error)
    elif state.counts is None:
        result = QCoreApplication.translate(
            "NoticeTimer", "{queued} queued, no provider: send by hand"
        ).format(queued=state.queued)
    else:
        c = state.counts
        result = QCoreApplication.translate(
            "NoticeTimer", "{queued} queued, {sent} sent, {retrying} to retry, {failed} failed"
        ).format(queued=c.queued, sent=c.sent, retrying=c.retrying, failed=c.failed)
    return QCoreApplication.translate(
        "NoticeTimer", "Automatic sending by {who}; last pass {last}: {result}"
    ).format(who=who, last=last, result=result)
