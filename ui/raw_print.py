"""Bytes sent to a printer as they are (ZPL to a thermal label printer), past any driver's
rendering: on Windows through the spooler with the RAW data type (winspool, as every label
program does), elsewhere through CUPS (``lp -o raw``). ``send_raw`` is the one door (tests replace
it); it answers False when there is no such printer or the spooler refused the job."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys

log = logging.getLogger(__name__)
TIMEOUT_S = 20


def send_raw(printer_name: str, data: bytes, title: str) -> bool:
    """Send ``data`` to ``printer_name`` ("": the system's default printer) unchanged."""
    try:
        if sys.platform == "win32":
            return _send_windows(printer_name, data, title)
        return _send_cups(printer_name, data, title)
    except OSError:
        log.warning("raw print to %r failed", printer_name, exc_info=True)
        return False


def _send_cups(printer_name: str, data: bytes, title: str) -> bool:
    lp = shutil.which("lp")
    if lp is None:
        return False
    args = [lp, "-o", "raw", "-t", title]
    if printer_name:
        args += ["-d", printer_name]
    try:
        result = subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return False
    if result.returncode != 0:
        log.warning("lp refused the label: %s", result.stderr.decode("utf-8", "replace").strip())
    return result.returncode == 0


def _send_windows(printer_name: str, data: bytes, title: str) -> bool:  # pragma: no cover
    import ctypes
    from ctypes import wintypes

    winspool = ctypes.WinDLL("winspool.drv")  # type: ignore[attr-defined]

    class DocInfo1(ctypes.Structure):
        _fields_ = [
            ("pDocName", wintypes.LPWSTR),
            ("pOutputFile", wintypes.LPWSTR),
            ("pDatatype", wintypes.LPWSTR),
        ]

    name = printer_name
    if not name:
        size = wintypes.DWORD(0)
        winspool.GetDefaultPrinterW(None, ctypes.byref(size))
        buffer = ctypes.create_unicode_buffer(size.value)
        if not winspool.GetDefaultPrinterW(buffer, ctypes.byref(size)):
            return False
        name = buffer.value
    handle = wintypes.HANDLE()
    if not winspool.OpenPrinterW(name, ctypes.byref(handle), None):
        return False
    try:
        info = DocInfo1(title, None, "RAW")
        if not winspool.StartDocPrinterW(handle, 1, ctypes.byref(info)):
            return False
        try:
            winspool.StartPagePrinter(handle)
            written = wintypes.DWORD(0)
            ok = winspool.WritePrinter(handle, data, len(data), ctypes.byref(written))
            winspool.EndPagePrinter(handle)
        finally:
            winspool.EndDocPrinter(handle)
        return bool(ok) and written.value == len(data)
    finally:
        winspool.ClosePrinter(handle)
