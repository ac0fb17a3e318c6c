"""``startup``: from launching the process to the main window shown, offscreen: an admin's
(all eight tabs; median of 5) as ``startup_to_window_ms``, and each floor role's
(``startup_to_window_ms_<role>``, median of 3), signed in as the data set's staff; and the
baseline measured the same way beside them: a bare PySide6 window with 8 empty tabs
(``startup_bare_pyside6_8_tabs_ms``, median of 5)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

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


def one_start(url: str, username: str | None = None, *, bare: bool = False) -> float:
    """Milliseconds from just before spawning the child to the moment it reports the window."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = ["-c", BARE_CHILD] if bare else ["-m", "benchmarks.startup_child", url]
    started = time.time()
    result = subprocess.run(
        [sys.executable, *child, *([username] if username else [])],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    shown = [line for line in result.stdout.splitlines() if line.startswith("shown ")]
    if result.returncode != 0 or not shown:
        raise RuntimeError(f"startup child failed ({result.returncode}):\n{result.stderr}")
    return (float(shown[-1].split()[1]) - started) * 1000


@benchmark("startup")
def startup(env: BenchEnv) -> list[Figure]:
    one_start(env.url)  # warm the file cache and compiled bytecode: starts are measured warm
    runs = []
    for run in range(1, RUNS + 1):
        runs.append(one_start(env.url))
        print(f"  startup run {run}: {runs[-1]:.0f} ms", file=sys.stderr)
    figures = [Figure("startup_to_window_ms", statistics.median(runs), "ms")]
    bare = [one_start(env.url, bare=True) for _ in range(RUNS)]
    figures.append(Figure("startup_bare_pyside6_8_tabs_ms", statistics.median(bare), "ms"))
    for role, username in ROLES.items():
        runs = [one_start(env.url, username) for _ in range(ROLE_RUNS)]
        print(f"  startup {role}: {', '.join(f'{run:.0f}' for run in runs)} ms", file=sys.stderr)
        figures.append(Figure(f"startup_to_window_ms_{role}", statistics.median(runs), "ms"))
    return figures
