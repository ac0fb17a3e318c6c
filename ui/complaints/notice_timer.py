"""The outbox's timer on a customer-service station: every ``notices.send_every_minutes`` a pass
of :func:`app.complaints.notice_runner.scheduled_pass` runs off the UI thread (no busy cursor:
nobody asked for it; no Qt object made per pass), and its state — which station sends, the
last pass, its counts or its error — is shown on the customer-care page. The turn in the database makes one station send at
a time; closing the window gives the turn back."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal

from app.context import Context
from app.errors import DomainError
from app.localtime import local_text
from ui.i18n import domain_message

if TYPE_CHECKING:
    from app.complaints.notice_runner import SenderState

OFF_CHECK = timedelta(minutes=5)  # the first pass, and the next look while the timer is off


class _Relay(QObject):
    """Carries a pass's answer from the worker thread to the UI thread (one per timer: a pass
    creates no Qt object, so none is left for a worker thread's garbage collection)."""

    answered = Signal(object)  # (interval, SenderState)
    refused = Signal(object)  # DomainError


class NoticeTimer(QObject):
    state_changed = Signal(object)  # SenderState, or a DomainError's text (str)

    def __init__(self, ctx: Context, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeTimer")
        self.ctx = ctx
        self.state: SenderState | str | None = None
        self.running = False
        self.took_turn = False
        self.relay = _Relay(self)
        self.relay.answered.connect(self._passed)
        self.relay.refused.connect(self._failed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        """The first pass one interval (the default) from now; each pass reads the setting."""
        self._wait(OFF_CHECK)

    def _wait(self, every: timedelta | None) -> None:
        self.timer.start(int((every or OFF_CHECK).total_seconds() * 1000))

    def tick(self) -> None:
        """A pass off the UI thread, on the shared pool (no busy cursor: nobody asked for it)."""
        if self.running:
            return
        self.running = True
        QThreadPool.globalInstance().start(self._work)

    def _work(self) -> None:  # a worker thread
        # The outbox's rules load here, off the UI thread: the window shows without them.
        from app.complaints import notice_runner

        ctx, relay = self.ctx, self.relay
        try:
            state = notice_runner.scheduled_pass(ctx)
            answer: tuple[timedelta | None, SenderState] = (notice_runner.interval(ctx), state)
        except DomainError as error:
            _emit(relay.refused, error)
            return
        except Exception as error:  # noqa: BLE001 - shown, and the timer goes on
            _emit(relay.refused, error)
            return
        _emit(relay.answered, answer)

    def _passed(self, answer: tuple[timedelta | None, SenderState]) -> None:
        every, state = answer
        self.running = False
        self.took_turn = self.took_turn or state.station == self.ctx.station
        self._show(state)
        self._wait(every)

    def _failed(self, error: Exception) -> None:
        self.running = False
        text = domain_message(error) if isinstance(error, DomainError) else str(error)
        self._show(text or type(error).__name__)
        self._wait(OFF_CHECK)

    def _show(self, state: SenderState | str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def stop(self) -> None:
        """The window closes: no more passes, and the turn given back if this station held it."""
        self.timer.stop()
        if self.took_turn:  # a pass ran: its module is loaded
            from app.complaints import notice_runner

            try:
                notice_runner.release_turn(self.ctx)
            except DomainError:
                pass  # the turn lapses by itself


def _emit(signal: Any, value: object) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the window (and its timer) closed while the pass ran
        pass


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
