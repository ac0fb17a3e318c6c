"""Entry points of the Qt application, called from ``repairfloor.cli``: the window and the screenshots.

Kept light to import: the tab modules (and QtCharts for the ledgers) load only when a window is
built for someone allowed to see them.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox
from sqlalchemy.engine import make_url

from app import schema
from app.clock import Clock, SystemClock
from app.config import APP_NAME, backups_dir, shipped_fonts_dir
from app.context import Context
from app.db import Database
from app.errors import DomainError
from app.station_clock import DatabaseClock
from app.users import actor_for_username
from ui import settings
from ui.i18n import domain_message, install_translators

# Fonts with the Chinese glyphs, in order of preference: the bundled one (resources/fonts) first
# where the system has no Chinese UI font of its own, else the system's (Windows: Microsoft YaHei,
# macOS: PingFang SC) first and the bundled one as the fallback. PDFs embed the bundled font.
BUNDLED_CJK_FAMILY = "WenQuanYi Micro Hei"
SYSTEM_CJK_FAMILIES = {"win32": "Microsoft YaHei", "darwin": "PingFang SC"}
CJK_FONT_FAMILIES = [BUNDLED_CJK_FAMILY, "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"]


def cjk_font_families(platform: str = sys.platform) -> list[str]:
    """The Chinese font families to ask for, best first, on ``platform`` (``sys.platform``)."""
    system = SYSTEM_CJK_FAMILIES.get(platform)
    if system is None:
        return list(CJK_FONT_FAMILIES)
    return [system, *(family for family in CJK_FONT_FAMILIES if family != system)]


SCREENSHOT_SIZE = (1366, 768)  # the common floor PC (docs/make_screenshots.sh)


def create_application(language: str | None = None) -> QApplication:
    """The QApplication (reused if one exists, e.g. under pytest-qt), fonts and translations."""
    application = QApplication.instance()
    if application is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        application = QApplication(sys.argv[:1])
    assert isinstance(application, QApplication)
    QCoreApplication.setOrganizationName(settings.ORGANISATION)
    QCoreApplication.setApplicationName(APP_NAME)
    use_cjk_font(application)
    install_translators(language or settings.LANGUAGE.get())
    QGuiApplication.setApplicationDisplayName(
        QCoreApplication.translate("Application", "RepairFloor")
    )
    from ui.icons import app_icon

    application.setWindowIcon(app_icon())
    return application


def use_cjk_font(application: QApplication) -> None:
    """Prefer a font with Chinese glyphs so Chinese never renders as boxes: the system's Chinese
    UI font on Windows and macOS, the one shipped in resources/fonts everywhere as the fallback
    (first on Linux), so a PC without any CJK font still shows Chinese."""
    for path in sorted(shipped_fonts_dir().glob("*.tt[fc]")):
        QFontDatabase.addApplicationFont(str(path))  # registers "WenQuanYi Micro Hei"
    font = QFont(application.font())
    preferred = cjk_font_families()
    families = [*preferred, *(f for f in font.families() if f not in preferred)]
    font.setFamilies(families)
    application.setFont(font)


def build_main_window(ctx: Context) -> QMainWindow:
    from ui.main_window import MainWindow

    return MainWindow(ctx)


def prepare_database(db: Database, revision: str | None = "") -> None:
    """A database of an older version is backed up, then upgraded to this version's schema. A
    current one costs one look at its version (the backup and Alembic are not even imported);
    none when start-up read it already (``revision``, None for no schema)."""
    if revision == "":
        revision = schema.current_revision(db)
    if revision == schema.HEAD_REVISION:
        return
    from app.admin import backup

    backup.backup_before_upgrade(db, backups_dir(), SystemClock().now())
    schema.upgrade(db)


def run_gui(db_url: str, station: str) -> int:
    application = create_application()
    from ui.crash import install_crash_handler, install_qt_message_handler

    install_crash_handler()  # the log file, and uncaught exceptions logged and shown
    install_qt_message_handler()  # Qt's own warnings into the same log file
    from ui.collector import MainThreadCollector

    MainThreadCollector(application)  # cycles are freed in the UI thread only (ui/collector.py)
    from app.admin import first_run  # the wizard's window only when it is due
    from ui import station_settings

    db_url = station_settings.database_url(
        db_url
    )  # the server chosen, unless --db / $REPAIRFLOOR_DB
    station = station_settings.station_name(station)  # the name chosen, unless --station / $...
    try:
        db = None if first_run.no_database_yet(db_url) else Database(db_url)
        # One connection (the one the window goes on with): the schema's version, and whether
        # anybody could sign in; nobody yet, or no database: the first-run wizard.
        look = first_run.look(db) if db is not None else None
    except Exception as error:  # the database is unreachable or damaged: say so, don't crash
        return _cannot_open(db_url, error)
    if look is None or not look.has_users:
        if db is not None:
            db.dispose()
        from ui.first_run import run_first_run_wizard

        chosen = run_first_run_wizard(db_url)
        if chosen is None:
            return 0
        db_url, db, look = chosen, None, None
    try:
        if db is None:
            db = Database(db_url)
        prepare_database(db, look.revision if look is not None else "")
        clock = DatabaseClock(db)  # business time is the server's (app/station_clock.py)
    except Exception as error:
        return _cannot_open(db_url, error)
    window = open_session(db, station, clock)
    if window is None:
        return 0
    # Today's automatic backup (SQLite online backup / pg_dump), off the UI thread, once a day.
    from ui.ops import BackgroundOp

    def backup_done(*_: object) -> None:  # the status bar warns if the newest is too old
        window.backup_warning.refresh()

    BackgroundOp(window, lambda: _daily_backup(db, clock)).success(backup_done).failure(
        backup_done
    ).run_in_background()
    code = application.exec()
    db.dispose()
    return code


def _cannot_open(db_url: str, error: Exception) -> int:
    """The database is unreachable or damaged: say so (no crash); the exit code."""
    QMessageBox.critical(
        None,
        QCoreApplication.translate("Application", "RepairFloor"),
        QCoreApplication.translate(
            "Application", "Cannot open the database {name}:\n{error}"
        ).format(name=make_url(db_url).render_as_string(hide_password=True), error=error),
    )
    return 2


def _daily_backup(db: Database, clock: Clock) -> Path | None:
    from app.admin import backup  # imported here, off the UI thread

    return backup.daily_backup(db, backups_dir(), clock.now())


def open_session(db: Database, station: str, clock: Clock, notice: str = "") -> QMainWindow | None:
    """Sign in, then the main window; None when the sign-in was cancelled. When the person is
    signed out (disabled, roles changed) or signs out (Ctrl+L, a locked station taken over), the
    sign-in comes back before the old window closes: the application does not quit."""
    from ui.login import LoginDialog

    login = LoginDialog(db, station, clock, notice=notice)
    if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
        return None
    window = build_main_window(Context(db, login.actor, station, clock))

    def sign_in_again(notice: str) -> None:
        window.hide()
        _SESSIONS.append(open_session(db, station, clock, notice))
        if hasattr(window, "leaving"):
            window.leaving = True  # asked already (a sign-out) or nothing to ask (signed out)
        window.close()  # the last window closing (sign-in cancelled) quits
        window.deleteLater()

    signed_out = getattr(window, "signed_out", None)
    if signed_out is not None:

        def signed_out_notice() -> str:
            guard = getattr(window, "session_guard", None)  # a restore elsewhere says so
            return getattr(guard, "notice", "") or QCoreApplication.translate(
                "Application",
                "You were signed out: your account was disabled or your roles changed. "
                "Sign in again.",
            )

        signed_out.connect(lambda: sign_in_again(signed_out_notice()))
    switch_user = getattr(window, "switch_user", None)
    if switch_user is not None:  # Ctrl+L, or another person at a locked station
        switch_user.connect(lambda: sign_in_again(""))
    window.show()
    return window


# The windows of the sessions opened after a sign-out (kept alive until the application ends).
_SESSIONS: list[QMainWindow | None] = []


def _settle(application: QApplication, seconds: float = 15.0) -> None:
    """Let what a shown tab reads arrive before it is grabbed: lists load on the read worker,
    started by a timer once the event loop runs (``ui.ops``). Settled when nothing has been in
    flight for a fifth of a second."""
    from ui.ops import ops_in_flight

    deadline, quiet_since = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        application.processEvents()
        if ops_in_flight():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 0.2:
            return
        time.sleep(0.01)


def run_screenshots(
    db_url: str, station: str, out_dir: Path, username: str | None, lang: str
) -> int:
    """Render each tab the user may see to ``out_dir/<tab objectName>.png``, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    application = create_application(lang)
    db = Database(db_url)
    try:
        schema.upgrade(db)
        actor = actor_for_username(db, username)
    except DomainError as error:
        print(f"repairfloor: {domain_message(error)}", file=sys.stderr)
        return 2
    out_dir.mkdir(parents=True, exist_ok=True)
    from ui.main_window import MainWindow

    window = MainWindow(Context(db, actor, station, SystemClock()))
    window.setWindowState(Qt.WindowState.WindowNoState)  # not maximised to the offscreen screen
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    _settle(application)
    for page in window.tab_pages():
        window.tabs.setCurrentWidget(page)
        _settle(application)
        path = out_dir / f"{page.objectName()}.png"
        if not window.grab().save(str(path)):
            print(f"repairfloor: cannot write {path}", file=sys.stderr)
            return 1
        print(path)
    window.changes.close()
    window.hide()
    window.deleteLater()
    application.processEvents()
    db.dispose()
    return 0
