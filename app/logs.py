"""The log file: one rotating file in the data dir's ``logs/`` folder, set up once by the entry point.

Every module logs to ``logging.getLogger(__name__)`` (``app.livesync``, ``ui.crash``...): the
file handler sits on the root logger, so every module's messages reach the file that Help > About
shows and the support archive collects. Our own packages log from INFO up, libraries from WARNING.
Uncaught exceptions, in the main thread or in any other, are logged there too. Every line is
scrubbed of customers' personal data first (``app.personal_data``): the file goes to support.
"""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from app.config import log_dir
from app.personal_data import scrub

LOG_FILE_NAME = "repairfloor.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
OUR_PACKAGES = ("app", "ui", "repairfloor")  # the loggers logged from INFO up
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

log = logging.getLogger(__name__)


class LogFileHandler(RotatingFileHandler):
    """The application's log file (a class of its own, so configuring twice replaces it)."""


class ScrubbingFormatter(logging.Formatter):
    """The record as usual, traceback included, with phones, names and addresses hidden."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def configure(level: int = logging.INFO) -> Path:
    """Send every logger's messages to the log file; returns its path. Calling it again is harmless
    (and follows the data dir if it moved)."""
    path = log_file()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, LogFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = LogFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(ScrubbingFormatter(LOG_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    for name in OUR_PACKAGES:
        logging.getLogger(name).setLevel(level)
    logging.captureWarnings(True)  # Python's warnings too (logger "py.warnings")
    return path


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def log_uncaught(
    kind: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
    thread_name: str | None = None,
) -> None:
    where = f" in thread {thread_name}" if thread_name else ""
    log.error("Unexpected error%s", where, exc_info=(kind, error, trace))
    flush()


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else None
    log_uncaught(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, name)
    threading.__excepthook__(args)  # still printed, as Python does


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if not issubclass(kind, KeyboardInterrupt):
        log_uncaught(kind, error, trace)
    sys.__excepthook__(kind, error, trace)


def install_exception_hooks() -> None:
    """An uncaught exception, in the main thread or any other, is logged (and printed, as
    before). The window replaces ``sys.excepthook`` with one that also shows a dialog."""
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
