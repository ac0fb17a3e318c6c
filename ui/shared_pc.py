"""A PC shared by a shift: sign out and switch user (Ctrl+L) without quitting, a lock after the
station has been idle, and a word before leaving a box half received.

The window emits ``switch_user`` to be replaced by a new sign-in (``ui.application``); the lock
covers the window until the same person types their password (checked, counted and audited like
any sign-in: ``app.users.authenticate``) or someone else signs in instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QVBoxLayout,
)

from app import users
from app.errors import DomainError
from ui import settings
from ui.i18n import domain_message
from ui.ops import BackgroundOp
from ui.widgets.lifetime import tolerant_filter

if TYPE_CHECKING:
    from PySide6.QtGui import QWindow

    from ui.main_window import MainWindow

IDLE_CHOICES = (0, 5, 10, 30)  # minutes; 0 = never lock
CHECK_IDLE_MS = 15_000
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


def install(window: MainWindow, menu: QMenu) -> IdleLock:
    """The sign-out action (Ctrl+L) and the idle-lock choice in ``menu``; the idle lock."""
    sign_out = QAction(QCoreApplication.translate("SharedPc", "Sign out / switch user"), window)
    sign_out.setObjectName("signOutAction")
    sign_out.setShortcut(QKeySequence("Ctrl+L"))
    sign_out.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    sign_out.triggered.connect(lambda: request_switch(window))
    menu.addAction(sign_out)
    window.addAction(sign_out)
    set_pin = menu.addAction(QCoreApplication.translate("SharedPc", "My sign-in PIN…"))
    set_pin.setObjectName("setPinAction")
    set_pin.triggered.connect(lambda: _open_pin_dialog(window))
    lock_menu = menu.addMenu(QCoreApplication.translate("SharedPc", "Lock when idle"))
    lock_menu.setObjectName("idleLockMenu")
    group = QActionGroup(window)
    for minutes in IDLE_CHOICES:
        text = (
            QCoreApplication.translate("SharedPc", "Never")
            if not minutes
            else QCoreApplication.translate("SharedPc", "After {n} min").format(n=minutes)
        )
        action = QAction(text, window, checkable=True)
        action.setObjectName(f"idleLock{minutes}")
        action.setChecked(minutes == settings.IDLE_LOCK_MINUTES.get())
        action.triggered.connect(
            lambda _checked=False, minutes=minutes: settings.IDLE_LOCK_MINUTES.set(minutes)
        )
        group.addAction(action)
        lock_menu.addAction(action)
    return IdleLock(window)


def _open_pin_dialog(window: MainWindow) -> None:
    from ui.login import PinDialog

    dialog = PinDialog(window.ctx, window)
    dialog.open()
    window.pin_dialog = dialog


def leaving_warning(window: MainWindow) -> str:
    """What leaving now would leave half done ("" when nothing): the receiving box."""
    from ui.receiving.station_box import open_box_warning
    from ui.receiving.tab import ReceivingTab

    page = window.built_page("receivingTab")
    return open_box_warning(page) if isinstance(page, ReceivingTab) else ""


def confirm_leaving(window: MainWindow, question: str) -> bool:
    """True to go on: nothing is half done, or the person says so."""
    warning = leaving_warning(window)
    if not warning:
        return True
    answer = QMessageBox.question(
        window,
        QApplication.applicationDisplayName(),
        f"{warning}\n\n{question}",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def request_switch(window: MainWindow) -> None:
    """Sign out (after the word about a half-received box): the window gives way to a sign-in."""
    if not confirm_leaving(window, QCoreApplication.translate("SharedPc", "Sign out anyway?")):
        return
    window.save_layout()
    window.leaving = True
    window.switch_user.emit()


class IdleLock(QObject):
    """Locks the window after ``IDLE_LOCK_MINUTES`` without a key, a click or a scan.

    Input is seen by an event filter on the station's top-level windows (``QWindow``: the main
    window, and each dialog as it takes the focus), not on the application: the platform hands
    every key, click and wheel turn to a top-level window first, and little else reaches one (a
    repaint request per frame). A filter on the application ran Python for every event of every
    object (timers, results queued from the workers, paints), and each call waited for the
    interpreter while a worker thread held it: measured in the floor benchmark, see README.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("idleLock")
        self._window = window
        self._since_input = QElapsedTimer()
        self._since_input.start()
        self.dialog: LockDialog | None = None
        self.events_seen = 0  # events the filter was called for (benchmarks, tests)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.focusWindowChanged.connect(self.watch)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_IDLE_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def watch(self, top_level: QWindow | None) -> None:
        """See the input of ``top_level`` (installing again only moves the filter first)."""
        if top_level is not None:
            top_level.installEventFilter(self)

    @tolerant_filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        self.events_seen += 1
        if event.type() in INPUT_EVENTS:
            self._since_input.restart()
        return False

    def idle_ms(self) -> int:
        return self._since_input.elapsed()

    def check(self) -> bool:
        """Lock if idle too long; True when the window is (now) locked."""
        self.watch(self._window.windowHandle())  # shown but never given the focus yet
        minutes = settings.IDLE_LOCK_MINUTES.get()
        if self.dialog is not None:
            return True
        if minutes <= 0 or self.idle_ms() < minutes * 60_000 or not self._window.isVisible():
            return False
        self.lock()
        return True

    def lock(self) -> LockDialog:
        dialog = LockDialog(self._window)
        dialog.unlocked.connect(self._unlocked)
        dialog.switch_requested.connect(self._switch)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _unlocked(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self._since_input.restart()

    def _switch(self) -> None:
        self._unlocked()
        self._window.save_layout()
        self._window.leaving = True  # the box stays open; it is resumed at the next sign-in
        self._window.switch_user.emit()


class LockDialog(QDialog):
    """Over the locked window: the same person's password, or someone else signs in."""

    unlocked = Signal()
    switch_requested = Signal()

    def __init__(self, window: MainWindow) -> None:
        # Made when the station locks: the window shows without its button box's type.
        from PySide6.QtWidgets import QDialogButtonBox

        super().__init__(window)
        self.setObjectName("lockDialog")
        self.setWindowTitle(self.tr("Locked"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._window = window
        self._checking = False
        actor = window.ctx.actor
        title = QLabel(
            self.tr("Locked after a while without use. {name}: your password to go on.").format(
                name=actor.display_name
            ),
            self,
        )
        title.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.submit)
        self.message = QLabel(self)
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
        buttons = QDialogButtonBox(self)
        unlock = buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        unlock.setObjectName("unlockButton")
        unlock.setAutoDefault(False)
        switch = buttons.addButton(self.tr("Switch user"), QDialogButtonBox.ButtonRole.ActionRole)
        switch.setObjectName("switchUserButton")
        switch.setAutoDefault(False)
        unlock.clicked.connect(self.submit)
        switch.clicked.connect(self._switch)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.password.setFocus()

    def submit(self) -> None:
        if self._checking or not self.password.text():
            return
        self._checking = True
        ctx = self._window.ctx
        password = self.password.text()
        BackgroundOp(
            self,
            lambda: users.authenticate(
                ctx.db, ctx.actor.username, password, station=ctx.station, clock=ctx.clock
            ),
        ).success(self._checked).failure(self._refused).run_in_background()

    def _checked(self, _actor: object) -> None:
        self._checking = False
        self.accept()
        self.unlocked.emit()

    def _refused(self, error: DomainError) -> None:
        self._checking = False
        self.message.setText(domain_message(error))
        self.password.selectAll()
        self.password.setFocus()

    def _switch(self) -> None:
        self.accept()
        self.switch_requested.emit()

    def reject(self) -> None:  # Esc does not unlock
        return
