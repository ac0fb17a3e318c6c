"""Child process of the ``startup`` benchmark: ``python benchmarks/startup_child.py URL [USER]``.

Starts RepairFloor the way ``repairfloor gui --db URL`` does (``repairfloor.launch.main``: the
command line, the log, the crash handler, the QApplication with its fonts and translations, the
first-run check, the database opened and its schema checked, the server's clock), with one
difference: in place of the sign-in dialog, the window of USER (the first admin when not given)
opens at once. Prints ``shown <time.time()>`` once the window is exposed and the events queued by
showing it are processed, then ``ready <time.time()>`` once the first tab can take a scan: its
scan field has the keyboard focus, enabled and writable (a tab without one, the supervisor's
dashboard, is ready when shown); then exits at once (teardown is not start-up).

Run as a file, not ``-m benchmarks.startup_child``: the benchmark package (the harness) is not
imported, so nothing the application does not import itself is measured.
"""

from __future__ import annotations

import os
import sys
import time

TIMEOUT_S = 120


def wait_until(condition, application, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            print(f"startup child: {what} never came", file=sys.stderr, flush=True)
            os._exit(1)
        application.processEvents()


def takes_a_scan(window) -> bool:  # noqa: ANN001
    """The current tab's scan field has the focus and takes input; True for a tab without one."""
    from PySide6.QtWidgets import QApplication

    from ui.widgets.scan_field import ScanField

    page = window.tabs.currentWidget()
    fields = page.findChildren(ScanField) if page is not None else []
    if not fields:
        return page is not None
    focus = QApplication.focusWidget()
    return (
        isinstance(focus, ScanField)
        and focus in fields
        and focus.isVisible()
        and focus.isEnabled()
        and not focus.isReadOnly()
    )


def main(url: str, username: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from repairfloor.launch import load

    cli = load()  # as the ``repairfloor`` command loads it (repairfloor/launch.py)

    def open_window(db, station, clock, notice=""):  # noqa: ANN001, ANN202 - the sign-in's place
        from PySide6.QtWidgets import QApplication

        from app.context import Context
        from app.users import actor_for_username
        from ui.application import build_main_window

        application = QApplication.instance()
        window = build_main_window(Context(db, actor_for_username(db, username), station, clock))
        window.show()
        wait_until(
            lambda: (
                window.isVisible()
                and window.windowHandle() is not None
                and window.windowHandle().isExposed()
            ),
            application,
            "the window's exposure",
        )
        application.processEvents()  # what showing the window queued: first paint, deferred loads
        print(f"shown {time.time():.6f}", flush=True)
        wait_until(lambda: takes_a_scan(window), application, "a scan field taking input")
        print(f"ready {time.time():.6f}", flush=True)
        os._exit(0)  # no teardown: background watchers of the window need not be stopped

    # Imported as ``repairfloor gui`` imports it (in cli.main); the sign-in replaced before.
    import ui.application

    ui.application.open_session = open_window
    return cli.main(["--db", url, "gui"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
