"""The main window's placement and keys: where it opens (maximised on a small screen), the tab
each person opens on, Ctrl+1…8 for the tabs, and the station's scan-sound volume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from app.context import Actor
from app.models import Role
from ui import settings

if TYPE_CHECKING:
    from ui.main_window import MainWindow

TAB_KEYS = 8  # Ctrl+1 … Ctrl+8

# The size the window asks for on a screen that has room for it; smaller screens get it maximised.
PREFERRED_SIZE = QSize(1400, 860)


def place_first_time(window: QWidget) -> None:
    """The window's first placement at this station: ``PREFERRED_SIZE`` when it fits the
    screen's available area, else maximised (then the saved geometry remembers the choice)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    if available is not None and (
        available.width() < PREFERRED_SIZE.width() or available.height() < PREFERRED_SIZE.height()
    ):
        window.resize(available.size())
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    window.resize(PREFERRED_SIZE)


# Each role's own tab: where a person opens the first time at a station (then where they left).
HOME_TABS = {
    Role.RECEIVING_CLERK: "receivingTab",
    Role.TECHNICIAN: "allocationTab",
    Role.PARTS_KEEPER: "partsTab",
    Role.QC_TESTER: "qcTab",
    Role.SHIPPING_CLERK: "shippingTab",
    Role.CUSTOMER_SERVICE: "complaintsTab",
    Role.SUPERVISOR: "ledgersTab",
}  # an administrator (who sees every tab) opens on the first: receiving


def home_tab(actor: Actor) -> str:
    """The tab a person opens on when this station has not seen them: their first role's own."""
    for role in HOME_TABS:  # in the order of the floor, so a clerk who is also admin receives
        if role in actor.roles:
            return HOME_TABS[role]
    return ""


def build_sound_menu(window: MainWindow, menu: QMenu) -> None:
    """This station's scan-sound volume (``ui.settings.SOUND_VOLUME``), off included."""
    from ui.widgets.sounds import VOLUME_CHOICES

    sound_menu = menu.addMenu(QCoreApplication.translate("MainWindow", "Scan sounds"))
    sound_menu.setObjectName("soundMenu")
    names = {
        0: QCoreApplication.translate("MainWindow", "Off"),
        30: QCoreApplication.translate("MainWindow", "Quiet"),
        60: QCoreApplication.translate("MainWindow", "Medium"),
        100: QCoreApplication.translate("MainWindow", "Loud"),
    }
    group = QActionGroup(window)
    for volume in VOLUME_CHOICES:
        action = QAction(names[volume], window, checkable=True)
        action.setObjectName(f"soundVolume{volume}")
        action.setChecked(volume == settings.SOUND_VOLUME.get())
        action.triggered.connect(
            lambda _checked=False, volume=volume: settings.SOUND_VOLUME.set(volume)
        )
        group.addAction(action)
        sound_menu.addAction(action)


def build_tab_keys(window: MainWindow) -> None:
    """Ctrl+1 … Ctrl+8 bring the person's tabs forward, in the order shown."""
    for number in range(1, TAB_KEYS + 1):
        action = QAction(window)
        action.setObjectName(f"showTab{number}")
        action.setShortcut(QKeySequence(f"Ctrl+{number}"))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(
            lambda _checked=False, index=number - 1: _show_index(window, index)
        )
        window.addAction(action)
        if number <= window.tabs.count():
            shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            window.tabs.setTabToolTip(number - 1, shown)


def _show_index(window: MainWindow, index: int) -> None:
    if 0 <= index < window.tabs.count():
        window.tabs.setCurrentIndex(index)
