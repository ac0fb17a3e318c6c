"""The box this station is receiving, kept across sign-outs and restarts.

The box open at the receiving desk is remembered as this PC's setting
(``ui.settings.RECEIVING_OPEN_BOX``): whoever signs in next at the station finds it open again,
if it is still open. ``open_box_warning`` says what a sign-out or a quit would leave half done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.errors import DomainError
from app.receiving import box_summary
from ui.settings import RECEIVING_OPEN_BOX

if TYPE_CHECKING:
    from ui.receiving.tab import ReceivingTab


def attach(tab: ReceivingTab) -> None:
    """Resume the station's box (when still open) and remember the box chosen from now on."""
    remembered = RECEIVING_OPEN_BOX.get()
    if remembered:
        try:
            summary = box_summary(tab.ctx, remembered)
        except DomainError:  # gone (a restored database): forget it
            summary = None
        if summary is not None and summary.closed_at is None:
            tab.set_box(remembered)
    remembered_now: list[int | None] = [remembered]
    tab.remember_box = lambda: _remember(tab, remembered_now)  # each time the desk's box is set
    tab.remember_box()


def _remember(tab: ReceivingTab, remembered: list[int | None]) -> None:
    """Write the setting when the desk's box changed, only: the list of open boxes is filled
    again after every commit at the desk, and each write syncs the settings file to disk on the
    UI thread (tens of milliseconds each)."""
    box_id = tab.box.id if tab.box is not None else 0
    if remembered[0] != box_id:
        RECEIVING_OPEN_BOX.set(box_id)
        remembered[0] = box_id


def open_box_warning(tab: ReceivingTab) -> str:
    """What is left half done at the desk ("" when no box is open)."""
    box = tab.box
    if box is None:
        return ""
    return QCoreApplication.translate(
        "StationBox",
        "Box {waybill} is still open: {scanned} of {declared} unit(s) scanned. It stays open "
        "and is resumed at the next sign-in at this station.",
    ).format(waybill=box.waybill_no, scanned=box.scanned_quantity, declared=box.declared_quantity)
