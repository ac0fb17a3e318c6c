"""The main window: one tab per floor area the signed-in person may work in.

A tab's module is imported, and the tab built, only when it is first shown (ui/tab_slot.py): a
receiving clerk never loads the ledgers' charts, an admin's window shows before seven of its tabs
exist. The status bar says who is signed in, at which station, on which database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from app.config import backups_dir
from app.context import Actor, Context
from app.permissions import Permission
from ui import settings, shared_pc, window_layout
from ui.changes import ChangeBridge
from ui.collector import keep_long_lived, release_long_lived
from ui.i18n import LANGUAGES, current_language, roles_text
from ui.icons import app_icon
from ui.ops import hold_work_until_painted
from ui.tab_slot import FloorTabs, TabSlot, tab_factory

if TYPE_CHECKING:
    from ui.complaints.notice_timer import NoticeTimer


class TabSpec(NamedTuple):  # not a dataclass: made in a fifth of the time, before the window shows
    object_name: str
    title: str  # marked QT_TRANSLATE_NOOP("MainWindow", ...) below
    module: str
    class_name: str
    visible_to: Callable[[Actor], bool]
    headquarters_only: bool = False  # a user whose home center is headquarters


def _may(*permissions: Permission) -> Callable[[Actor], bool]:
    return lambda actor: any(actor.can(permission) for permission in permissions)


TABS: tuple[TabSpec, ...] = (
    TabSpec(
        "receivingTab",
        QT_TRANSLATE_NOOP("MainWindow", "Receiving"),
        "ui.receiving.tab",
        "ReceivingTab",
        _may(Permission.RECEIVE),
    ),
    TabSpec(
        "allocationTab",
        QT_TRANSLATE_NOOP("MainWindow", "Allocation"),
        "ui.allocation.tab",
        "AllocationTab",
        _may(Permission.ALLOCATE, Permission.REPAIR, Permission.CONFIRM_CHARGE),
    ),
    TabSpec(
        "partsTab",
        QT_TRANSLATE_NOOP("MainWindow", "Parts issue"),
        "ui.parts.tab",
        "PartsTab",
        _may(Permission.ISSUE_PARTS),
    ),
    TabSpec(
        "qcTab",
        QT_TRANSLATE_NOOP("MainWindow", "QC aging test"),
        "ui.qc.tab",
        "QcTab",
        _may(Permission.QC),
    ),
    TabSpec(
        "shippingTab",
        QT_TRANSLATE_NOOP("MainWindow", "Shipping"),
        "ui.shipping.tab",
        "ShippingTab",
        _may(Permission.SHIP),
    ),
    TabSpec(
        "complaintsTab",
        QT_TRANSLATE_NOOP("MainWindow", "Complaints and follow-up"),
        "ui.complaints.tab",
        "ComplaintsTab",
        _may(Permission.HANDLE_COMPLAINTS),
    ),
    TabSpec(
        "ledgersTab",
        QT_TRANSLATE_NOOP("MainWindow", "Ledgers and dashboard"),
        "ui.ledgers.tab",
        "LedgersTab",
        _may(Permission.VIEW_LEDGERS),
    ),
    TabSpec(
        "adminTab",
        QT_TRANSLATE_NOOP("MainWindow", "Administration"),
        "ui.admin.tab",
        "AdminTab",
        _may(Permission.ADMINISTER),
    ),
    TabSpec(
        "headquartersTab",
        QT_TRANSLATE_NOOP("MainWindow", "Headquarters"),
        "ui.headquarters.tab",
        "HeadquartersTab",
        _may(Permission.VIEW_NETWORK),
        headquarters_only=True,
    ),
)


def visible_tabs(actor: Actor) -> list[TabSpec]:
    """The tabs ``actor`` may work in. Headquarters' tab goes by the home center the person had
    when they signed in (``Actor.home_is_headquarters``): no read before the window shows; what
    the tab reads and does is checked live."""
    return [
        spec
        for spec in TABS
        if spec.visible_to(actor) and (actor.home_is_headquarters or not spec.headquarters_only)
    ]


class MainWindow(QMainWindow):
    # The person was disabled or their roles changed: the window closes, sign in again.
    signed_out = Signal()
    # The person signed out (Ctrl+L) or another takes over a locked station: sign in again.
    switch_user = Signal()
    leaving = False  # set once signing out: closing then asks nothing
    pin_dialog: QDialog | None = None  # "My sign-in PIN…" (ui.shared_pc)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        hold_work_until_painted(self)  # the reads asked for while building wait for its paint
        self.ctx = ctx
        self.setWindowIcon(app_icon())
        self.setWindowTitle(ctx.station)  # Qt adds " — RepairFloor" (the display name)
        self.changes = ChangeBridge(ctx.db, self)
        self.tabs = FloorTabs(self)
        self.tabs.setObjectName("floorTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        specs = visible_tabs(ctx.actor)
        self._tab_modules = [spec.module for spec in specs]  # imported ahead (ui/preload.py)
        self._preload: QObject | None = None
        for spec in specs:
            factory = tab_factory(spec.module, spec.class_name, ctx, self.changes)
            slot = TabSlot(spec.object_name, factory, self.tabs)
            slot.built.connect(self._tab_built)
            self.tabs.addTab(slot, QCoreApplication.translate("MainWindow", spec.title))
        self._build_menu()
        self._build_search()
        window_layout.build_tab_keys(self)
        self._build_status_bar()
        self._restore_layout()
        from ui.session_guard import SessionGuard

        self.session_guard = SessionGuard(ctx, self.changes, self)
        self.session_guard.signed_out.connect(self.signed_out)
        self.notice_timer: NoticeTimer | None = None
        if ctx.actor.can(Permission.HANDLE_COMPLAINTS):  # the outbox sent on a timer
            from ui.complaints.notice_timer import NoticeTimer  # for those who send notices

            self.notice_timer = NoticeTimer(ctx, self)
            self.notice_timer.start()
        keep_long_lived()  # start-up's objects: out of the collector's walks (ui/collector.py)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._preload is None:  # once: the tabs' modules, imported off the UI thread
            from ui.preload import preload_later

            self._preload = preload_later(self, self._tab_modules)

    def _tab_built(self, page: QWidget) -> None:
        keep_long_lived()  # the tab lives as long as the window: out of the collector's walks
        care = getattr(page, "care", None)
        if self.notice_timer is not None and hasattr(care, "show_sender_state"):
            self.notice_timer.state_changed.connect(care.show_sender_state)
            care.show_sender_state(self.notice_timer.state)
        replaced = getattr(page, "database_replaced", None)
        if replaced is not None:  # a restore (admin tab): sign in on the restored database
            replaced.connect(self.signed_out)

    def tab_pages(self) -> list[QWidget]:
        """The tabs' slots, in order (each named as its tab; ``page`` gives the tab itself)."""
        return [self.tabs.widget(number) for number in range(self.tabs.count())]

    def page(self, object_name: str) -> QWidget | None:
        """The tab named ``object_name``, built now if it was never shown; None if not here."""
        for slot in self.tab_pages():
            if slot.objectName() == object_name and isinstance(slot, TabSlot):
                return slot.page()
        return None

    def built_page(self, object_name: str) -> QWidget | None:
        """The tab named ``object_name`` if it was built (shown once), else None."""
        for slot in self.tab_pages():
            if slot.objectName() == object_name and isinstance(slot, TabSlot) and slot.is_built:
                return slot.page()
        return None

    def show_tab(self, object_name: str) -> bool:
        for number, page in enumerate(self.tab_pages()):
            if page.objectName() == object_name:
                self.tabs.setCurrentIndex(number)
                return True
        return False

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&View"))
        menu.setObjectName("viewMenu")
        language_menu = menu.addMenu(self.tr("Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setObjectName(f"language_{code}")
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, code=code: self._choose_language(code))
            group.addAction(action)
            language_menu.addAction(action)
        if self.ctx.actor.can(Permission.ADMINISTER):
            connection = menu.addAction(self.tr("Database connection…"))
            connection.setObjectName("connectionAction")
            connection.triggered.connect(self._choose_database)
        window_layout.build_sound_menu(self, menu)
        printers = menu.addAction(self.tr("Printers of this station…"))
        printers.setObjectName("printersAction")
        printers.triggered.connect(self._choose_printers)
        menu.addSeparator()
        self.idle_lock = shared_pc.install(self, menu)  # sign out (Ctrl+L), lock when idle
        quit_action = menu.addAction(self.tr("&Quit"))
        quit_action.setObjectName("quitAction")
        quit_action.triggered.connect(self.request_quit)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        about = help_menu.addAction(self.tr("About RepairFloor…"))
        about.setObjectName("aboutAction")
        about.triggered.connect(self._show_about)

    def _show_about(self) -> None:
        from ui.about import show_about

        show_about(self, self.ctx)

    def _choose_database(self) -> None:
        from ui.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(self, self.ctx)  # an administrator may move the PC's database
        dialog.open()
        self.connection_dialog = dialog

    def _choose_printers(self) -> None:
        from ui.printers_dialog import PrintersDialog

        dialog = PrintersDialog(self)
        dialog.open()
        self.printers_dialog = dialog

    def _build_search(self) -> None:
        """The search field in the tool bar; Ctrl+F focuses it from any tab."""
        from ui.search.field import SearchField

        bar = QToolBar(self.tr("Search"), self)
        bar.setObjectName("searchToolBar")
        bar.setMovable(False)
        self.search_field = SearchField(self.ctx, bar)
        self.search_field.order_chosen.connect(self.open_timeline)
        self.search_field.unit_chosen.connect(self.open_unit_view)
        bar.addWidget(self.search_field)
        self.addToolBar(bar)
        find = QAction(self.tr("Find"), self)
        find.setObjectName("findAction")
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        find.triggered.connect(self.search_field.focus_and_select)
        self.addAction(find)

    def open_unit_view(self, serial: str) -> None:
        from ui.search.unit_view import open_unit_view  # imported when first opened

        open_unit_view(self.ctx, serial, self)

    def open_timeline(self, order_id: int) -> None:
        from ui.search.timeline import TimelineDialog

        TimelineDialog(self.ctx, order_id, self).show()

    def _choose_language(self, code: str) -> None:
        if code == settings.LANGUAGE.get():
            return
        settings.LANGUAGE.set(code)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.windowTitle(),
            self.tr("The language changes the next time RepairFloor starts."),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.open()

    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        status = self.statusBar()
        status.setObjectName("statusBar")
        user = QLabel(
            self.tr("{name} ({roles})").format(
                name=actor.display_name, roles=roles_text(actor.roles)
            )
        )
        user.setObjectName("statusUser")
        station = QLabel(self.tr("Station: {station}").format(station=self.ctx.station))
        station.setObjectName("statusStation")
        database = QLabel(self.tr("Database: {name}").format(name=self.ctx.db.display_name))
        database.setObjectName("statusDatabase")
        for label in (user, station, database):
            label.setContentsMargins(8, 0, 8, 0)
            status.addPermanentWidget(label)
        # Overdue complaints and follow-up calls, always in sight for customer service.
        from ui.overdue_counter import install_overdue_counter

        self.overdue_counter = install_overdue_counter(self.ctx, self.changes, status)
        from ui.admin.backup_warning import install_backup_warning

        self.backup_warning = install_backup_warning(self.ctx, status, backups_dir())
        from ui.print_queue import ToPrintButton  # labels and documents that did not print

        self.to_print = ToPrintButton(self.ctx, status, "statusToPrintButton")
        status.addPermanentWidget(self.to_print)

    def _restore_layout(self) -> None:
        """The geometry this station saved; the first time, the preferred size, or maximised
        on a screen too small for it (a 1366×768 floor PC). The person's own tab."""
        geometry = settings.MAIN_WINDOW_GEOMETRY.get()
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            window_layout.place_first_time(self)
        state = settings.MAIN_WINDOW_STATE.get()
        if not state.isEmpty():
            self.restoreState(state)
        remembered = settings.tab_of_user(self.ctx.actor.username)
        if not (remembered and self.show_tab(remembered)):
            self.show_tab(window_layout.home_tab(self.ctx.actor))

    def save_layout(self) -> None:
        settings.MAIN_WINDOW_GEOMETRY.set(self.saveGeometry())
        settings.MAIN_WINDOW_STATE.set(self.saveState())
        current = self.tabs.currentWidget()
        if current is not None:
            settings.set_tab_of_user(self.ctx.actor.username, current.objectName())

    def _may_quit(self) -> bool:
        return shared_pc.confirm_leaving(self, self.tr("Quit anyway?"))

    def request_quit(self) -> None:
        """Quit from the menu: after a word about a box half received, if there is one."""
        if self._may_quit():
            self.leaving = True
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window's own close button (spontaneous): the same word as Quit in the menu. A
        # close from the program (a sign-out done, the end of a test) asks nothing.
        if event.spontaneous() and not self.leaving and not self._may_quit():
            event.ignore()  # a box half received: the clerk stays
            return
        self.save_layout()
        if self.notice_timer is not None:
            self.notice_timer.stop()
        self.changes.close()
        release_long_lived()  # the window's objects may be collected once it is gone
        super().closeEvent(event)
