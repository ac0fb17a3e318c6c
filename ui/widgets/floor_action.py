"""A button's or a dialog's save, run as a floor action: off the UI thread, on the station's one
floor worker, in order (issue 21: the floor never waits on a save).

    run_floor_action(dialog, lambda: open_box(ctx, waybill_no, ...), opened,
                     failed=lambda error: show_domain_error(dialog, error, dialog.message),
                     button=ok_button)

``work`` holds plain data read from the widgets before it starts (a context, ids, values) and
returns plain data; ``done`` shows it in the UI thread (closes the dialog, refreshes, reports);
``failed`` shows a refusal and leaves the dialog open with its input. ``button`` is disabled
while the work runs, so it cannot be pressed twice. Inside a floor tab the work waits in line
with the tab's scans (the next scan sees what it saved); elsewhere it goes to the floor worker
directly (still one at a time, in the order asked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QWidget
from shiboken6 import isValid

from app.errors import DomainError
from ui.ops import FloorOp
from ui.widgets.scan_queue import ScanQueue

RUNNING = "floorActionRunning"  # a property of the button whose action runs


def _floor_tab_of(widget: QWidget) -> Any:
    """The floor tab that holds ``widget`` (a dialog's parent), if any (its scan queue and
    ``run_floor``)."""
    holder: QWidget | None = widget
    while holder is not None:
        if isinstance(getattr(holder, "scans", None), ScanQueue) and hasattr(holder, "run_floor"):
            return holder
        holder = holder.parentWidget()
    return None


def run_floor_action(
    widget: QWidget,
    work: Callable[[], Any],
    done: Callable[[Any], None],
    *,
    failed: Callable[[DomainError], None] | None = None,
    button: QAbstractButton | None = None,
    always: Callable[[], None] | None = None,
) -> None:
    if button is not None:
        button.setEnabled(False)
        button.setProperty(RUNNING, True)

    def finished() -> None:
        if button is not None and isValid(button):
            button.setEnabled(True)
            button.setProperty(RUNNING, False)
        if always is not None:
            always()

    tab = _floor_tab_of(widget)
    if tab is not None:
        tab.run_floor(work, done, failed, finished)
        return
    op = FloorOp(widget, work).success(done).always(finished)
    if failed is not None:
        op.failure(failed)
    op.run_in_background()


def busy(button: QAbstractButton | None) -> bool:
    """The action behind ``button`` is running (a second press, or Enter, is ignored)."""
    return button is not None and bool(button.property(RUNNING))
