"""What the preload thread imports (ui/preload.py) is all a tab's first show needs: a tab's
module imports only its header and scan field's needs, its parts and dialogs the rest, so the
preload takes each tab's whole package (and what the tab names in ``PRELOAD``). Without it, each
tab's first show imported its parts' modules on the UI thread: 87-150 ms blocks in the floor
benchmark's first shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.context import Context

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.users import actor_for_username
from ui import preload
from ui.application import build_main_window, create_application, prepare_database

preload.AFTER_SHOWN_MS = 3_600_000  # preloaded below, at once, as the preload thread does
app = create_application("zh_CN")
db = Database(sys.argv[1])
prepare_database(db)
window = build_main_window(Context(db, actor_for_username(db, "admin"), "t", SystemClock()))
window.show()
app.processEvents()
failed = preload.import_all(preload.with_their_packages(window._tab_modules))
print("failed", *failed)
for slot in window.tab_pages():
    before = set(sys.modules)
    window.page(slot.objectName())  # the whole tab, every part built
    new = sorted(m for m in set(sys.modules) - before if m.startswith(("app.", "ui.")))
    print(slot.objectName(), *new)
os._exit(0)
"""


def test_after_the_preload_no_tab_s_first_show_imports_a_module_of_ours(
    admin: Context, database_url: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, database_url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert lines.pop("failed") == []
    assert len(lines) >= 8  # every tab of an admin's window
    assert lines == {name: [] for name in lines}
