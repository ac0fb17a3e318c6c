"""Child process of the ``startup`` benchmark: ``python -m benchmarks.startup_child URL [USER]``.

Does what ``repairfloor gui`` does on start (imports, the QApplication with its fonts and
translations, open and upgrade the database, the main window of the first admin, in place of the
sign-in dialog; USER's window when given), shows the window, and once it is exposed and the events queued by showing it are
processed, prints ``shown <time.time()>`` on stdout and exits at once (teardown is not startup).
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app import schema  # noqa: E402
from app.clock import SystemClock  # noqa: E402
from app.context import Context  # noqa: E402
from app.db import Database  # noqa: E402
from app.users import actor_for_username  # noqa: E402
from ui.application import build_main_window, create_application  # noqa: E402

TIMEOUT_S = 120


def main(url: str, username: str | None = None) -> int:
    app = create_application()
    db = Database(url)
    schema.upgrade(db)
    ctx = Context(db, actor_for_username(db, username), "benchmarks", SystemClock())
    window = build_main_window(ctx)
    window.show()
    deadline = time.monotonic() + TIMEOUT_S
    while not (window.isVisible() and window.windowHandle() and window.windowHandle().isExposed()):
        if time.monotonic() > deadline:
            print("the window was never exposed", file=sys.stderr)
            return 1
        app.processEvents()
    app.processEvents()  # what showing the window queued: first paint, deferred loads
    print(f"shown {time.time():.6f}", flush=True)
    os._exit(0)  # no teardown: background watchers of the window need not be stopped


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
