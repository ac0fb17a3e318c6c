"""A button's or a dialog's save, run as a floor action: off the UI thread, on the station's one
floor worker, in order (issue 21: the floor never waits on a save).

    run_floor_action(dialog, lambda: open_box(ctx, waybill_no, ...), opened,
                     failed=lambda error: show_domain_error(dialog, error, dialog.message),
                     button=ok_button)

``work`` holds plain data read from the widgets before it starts (a context, ids, values) and
returns plain data; ``done`` shows it in the UI thread (closes the dialog, refreshes, reports);
``failed`` shows a refusal and leaves the dialog open with its input. ``button`` (or a whole
panel) is disabled while the work runs, so it cannot be pressed twice. Inside a floor tab the
work waits in line with the tab's scans (the next scan sees what it saved); elsewhere it goes to
the floor worker directly (still one at a time, in the order asked).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from app.errors import DomainError
from ui.ops import FloorOp
from ui.widgets.feedback import show_domain_error
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
    after_refusal: Callable[[DomainError], None] | None = None,
    button: QWidget | None = None,
    always: Callable[[], None] | None = None,
) -> None:
    """``failed`` replaces the usual display of a refusal (the floor tab's message line, else
    an error box); ``after_refusal`` runs after it (a list reloaded after a conflict). The
    button is enabled again before ``done`` or ``failed`` run (they may disable it again)."""
    tab = _floor_tab_of(widget)
    if button is not None:
        button.setEnabled(False)
        button.setProperty(RUNNING, True)

    def free() -> None:  # once, whatever ended the work
        if button is not None and isValid(button) and button.property(RUNNING):
            button.setProperty(RUNNING, False)
            button.setEnabled(True)

    def succeeded(result: Any) -> None:
        free()
        done(result)

    def refused(error: DomainError) -> None:
        free()
        if failed is not None:
            failed(error)
        elif tab is not None:
            tab.show_refusal(error)
        else:
            show_domain_error(widget, error)
        if after_refusal is not None:
            after_refusal(error)

    def finished() -> None:
        free()  # an unexpected error went to the crash dialog: the button works again
        if always is not None:
            always()

    if tab is not None:
        tab.run_floor(work, succeeded, refused, finished)
        return
    FloorOp(widget, work).success(succeeded).failure(refused).always(finished).run_in_background()


def busy(button: QWidget | None) -> bool:
    """The action behind ``button`` is running (a second press, or Enter, is ignored)."""
    return button is not None and bool(button.property(RUNNING))
