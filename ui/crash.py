"""Unexpected errors: log the traceback to a rotating file, tell the person where it is.

Domain errors never get here (they are refusals, shown where the action was); this is for
bugs. The dialog is opened without a nested event loop, so it never blocks a test.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import log_dir

LOG_FILE_NAME = "repairfloor.log"
LOGGER_NAME = "repairfloor"

_dialogs: list[QMessageBox] = []


def log_path() -> Path:
    return log_dir() / LOG_FILE_NAME


def crash_logger() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    path = log_path()
    if not any(
        isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in logger.handlers
    ):
        for handler in list(logger.handlers):  # the data dir moved (tests): follow it
            if isinstance(handler, RotatingFileHandler):
                logger.removeHandler(handler)
                handler.close()
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


def handle_exception(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    text = "".join(traceback.format_exception(kind, error, trace))
    crash_logger().error("Unexpected error\n%s", text)
    for handler in crash_logger().handlers:
        handler.flush()
    sys.stderr.write(text)
    if QApplication.instance() is not None:
        show_crash_dialog(f"{kind.__name__}: {error}", log_path())


def show_crash_dialog(summary: str, path: Path) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("CrashDialog", "RepairFloor: unexpected error"),
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
    crash_logger()
    sys.excepthook = handle_exception
