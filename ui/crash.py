"""Unexpected errors: log the traceback to the log file (``app.logs``), tell the person where it
is; and Qt's own messages routed into the same file.

Domain errors never get here (they are refusals, shown where the action was); this is for
bugs. The dialog is opened without a nested event loop, so it never blocks a test.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app import logs

QT_LOGGER = logging.getLogger("ui.qt")
QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
QtMessageHandler = Callable[[QtMsgType, QMessageLogContext, str], object]

_dialogs: list[QMessageBox] = []


def handle_exception(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logs.configure()
    logs.log_uncaught(kind, error, trace)
    sys.stderr.write("".join(traceback.format_exception(kind, error, trace)))
    in_ui_thread = threading.current_thread() is threading.main_thread()
    if QApplication.instance() is not None and in_ui_thread:
        show_crash_dialog(f"{kind.__name__}: {error}", logs.log_file())


def show_crash_dialog(summary: str, path: Path) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("CrashDialog", "Unexpected error"),
        "",
    )
    box.setObjectName("crashDialog")
    box.setText(
        QCoreApplication.translate(
            "CrashDialog",
            "Something went wrong that RepairFloor did not expect. Your last action may not "
            "have been saved: check it, then carry on.",
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "CrashDialog", "Please tell your supervisor. The details are in:\n{path}"
        ).format(path=path)
    )
    box.setDetailedText(summary)
    box.finished.connect(lambda _result: _dialogs.remove(box) if box in _dialogs else None)
    _dialogs.append(box)
    box.open()
    return box


def install_crash_handler() -> None:
    """Uncaught exceptions logged (any thread) and shown (the UI thread's)."""
    logs.configure()
    logs.install_exception_hooks()
    sys.excepthook = handle_exception


class QtMessageLog:
    """Qt's messages written to the ``ui.qt`` logger, then passed on to the handler it replaced
    (or to stderr, as Qt's own handler would)."""

    def __init__(self) -> None:
        self.previous: QtMessageHandler | None = None

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        level = QT_LEVELS.get(kind, logging.WARNING)
        category = context.category if context is not None else None
        where = f" ({category})" if category and category != "default" else ""
        QT_LOGGER.log(level, "%s%s", message, where)
        if self.previous is not None:
            self.previous(kind, context, message)
        elif level >= logging.WARNING and sys.stderr is not None:
            sys.stderr.write(message + "\n")


def install_qt_message_handler() -> QtMessageLog:
    """Route Qt's messages into the log file. Called by the application's start-up only: under
    pytest-qt, its own handler must stay the one that sees the messages."""
    route = QtMessageLog()
    route.previous = qInstallMessageHandler(route)
    return route
