"""``startup``: from launching the process to the main window shown and ready, offscreen.

The child (benchmarks/startup_child.py) starts the application as ``repairfloor gui --db URL``
does, the sign-in dialog replaced by the window of one of the data set's staff. Two moments:
``startup_to_window_ms`` when the window is exposed and what showing it queued is processed, and
``startup_to_ready_ms`` when the first tab's scan field has the focus and takes input (a scan
typed then is taken). An admin's (all eight tabs; median of 5), each floor role's
(``..._<role>``, median of 3); and the baseline measured the same way beside them: a bare PySide6
window with 8 empty tabs (``startup_bare_pyside6_8_tabs_ms``, median of 5).

Starts are measured warm, as an installed copy starts: the file cache warmed by a first start,
and the application's modules compiled to bytecode once, in the cache directory
(``PYTHONPYCACHEPREFIX``; a wheel or the installer compiles them when installing). The admin's
start without compiled bytecode (``PYTHONDONTWRITEBYTECODE``: every module compiled at every
start) is reported beside it: ``startup_to_window_ms_uncompiled`` (median of 3).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import BenchEnv, Figure, benchmark

RUNS = 5
ROLE_RUNS = 3
# The data set's staff (benchmarks/rows.py STAFF): one person of each floor role.
ROLES = {
    "receiving_clerk": "receiving1",
    "supervisor": "supervisor",
    "technician": "tech1",
    "parts_keeper": "parts",
    "qc_tester": "qc1",
    "shipping_clerk": "shipping",
    "customer_service": "service",
}


BARE_CHILD = """
import os, sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget
app = QApplication(sys.argv)
window = QMainWindow()
tabs = QTabWidget(window)
for number in range(8):
    tabs.addTab(QWidget(), f"Tab {number}")
window.setCentralWidget(tabs)
window.resize(1400, 860)
window.show()
while not (window.windowHandle() and window.windowHandle().isExposed()):
    app.processEvents()
app.processEvents()
print(f"shown {time.time():.6f}", flush=True)
os._exit(0)
"""


CHILD = Path(__file__).with_name("startup_child.py")
ROOT = CHILD.parent.parent


@dataclass(frozen=True)
class Start:
    window_ms: float  # the window exposed, what showing it queued processed
    ready_ms: float  # the first tab's scan field focused and taking input


def child_env(env: BenchEnv, *, compiled: bool = True) -> dict[str, str]:
    """Offscreen, this checkout's code, a station of its own (settings and log in the work
    directory), and bytecode compiled once into the cache directory (or never, ``compiled``
    False)."""
    cache = env.cache_dir or env.work_dir
    child = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "REPAIRFLOOR_DATA_DIR": str(env.work_dir / "startup-station"),
    }
    child.pop("PYTHONPYCACHEPREFIX", None)
    if compiled:
        child.pop("PYTHONDONTWRITEBYTECODE", None)
        child["PYTHONPYCACHEPREFIX"] = str(cache / "startup-bytecode")
    else:
        child["PYTHONDONTWRITEBYTECODE"] = "1"
    return child


def one_start(
    env: BenchEnv, username: str | None = None, *, bare: bool = False, compiled: bool = True
) -> Start:
    """Milliseconds from just before spawning the child to the moments it reports."""
    child = ["-c", BARE_CHILD] if bare else [str(CHILD), env.url]
    started = time.time()
    result = subprocess.run(
        [sys.executable, *child, *([username] if username else [])],
        env=child_env(env, compiled=compiled),
        cwd=env.work_dir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    moments = dict(line.split()[:2] for line in result.stdout.splitlines() if " " in line)
    if result.returncode != 0 or "shown" not in moments or ("ready" not in moments and not bare):
        raise RuntimeError(f"startup child failed ({result.returncode}):\n{result.stderr}")
    shown = (float(moments["shown"]) - started) * 1000
    return Start(shown, (float(moments.get("ready", moments["shown"])) - started) * 1000)


def _figures(suffix: str, starts: list[Start]) -> list[Figure]:
    return [
        Figure(
            f"startup_to_window_ms{suffix}", statistics.median(s.window_ms for s in starts), "ms"
        ),
        Figure(f"startup_to_ready_ms{suffix}", statistics.median(s.ready_ms for s in starts), "ms"),
    ]


@benchmark("startup")
def startup(env: BenchEnv) -> list[Figure]:
    one_start(env)  # warm the file cache and compile the bytecode: starts are measured warm
    one_start(env, bare=True)
    runs = []
    for run in range(1, RUNS + 1):
        runs.append(one_start(env))
        print(
            f"  startup run {run}: window {runs[-1].window_ms:.0f} ms, "
            f"ready {runs[-1].ready_ms:.0f} ms",
            file=sys.stderr,
        )
    figures = _figures("", runs)
    bare = [one_start(env, bare=True).window_ms for _ in range(RUNS)]
    figures.append(Figure("startup_bare_pyside6_8_tabs_ms", statistics.median(bare), "ms"))
    uncompiled = [one_start(env, compiled=False).window_ms for _ in range(ROLE_RUNS)]
    figures.append(Figure("startup_to_window_ms_uncompiled", statistics.median(uncompiled), "ms"))
    for role, username in ROLES.items():
        runs = [one_start(env, username) for _ in range(ROLE_RUNS)]
        print(
            f"  startup {role}: "
            + ", ".join(f"{run.window_ms:.0f}/{run.ready_ms:.0f}" for run in runs)
            + " ms (window/ready)",
            file=sys.stderr,
        )
        figures += _figures(f"_{role}", runs)
    return figures
