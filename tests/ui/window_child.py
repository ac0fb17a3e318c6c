"""An app's main window in a new interpreter, for tests of what start-up imports: the test
process has imported every module by then. ``run_window_child(body, url, username)`` builds the
window of ``username`` (the preload held back, as tests of a first show want it), runs ``body``
(``app``, ``window`` and ``sys`` at hand; ``os._exit(0)`` added) and returns what it printed,
each line's first word mapping to the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PREAMBLE = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.users import actor_for_username
from ui import preload
from ui.application import build_main_window, create_application, prepare_database

preload.AFTER_SHOWN_MS = 3_600_000  # what the window and its tabs import, not the preloading
app = create_application("zh_CN")
db = Database(sys.argv[1])
prepare_database(db)
window = build_main_window(Context(db, actor_for_username(db, sys.argv[2]), "t", SystemClock()))
"""


def run_window_child(body: str, database_url: str, username: str = "admin") -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PREAMBLE + body + "\nos._exit(0)\n", database_url, username],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line}
