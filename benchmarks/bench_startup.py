"""``startup``: from launching the process to the main window shown, offscreen (median of 5)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from . import BenchEnv, Figure, benchmark

RUNS = 5


def one_start(url: str) -> float:
    """Milliseconds from just before spawning the child to the moment it reports the window."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_child", url],
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
    return [Figure("startup_to_window_ms", statistics.median(runs), "ms")]
