"""``export``: the receiving register of the ~100,000 most recent orders to Excel — its time, its
peak memory (a child process's max RSS), and its time against a bare openpyxl write-only dump of
the same rows (the same query, values appended unstyled): how much the formatting costs on top
of the query and the writer. Paired: in this one process, the two writers run in turn, ROUNDS
times each, so both see the same machine; the ratio is the median of the rounds' ratios (wall
clock, and ``_cpu``: this process's CPU time, which a busy machine disturbs less).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.ledgers.export import export_ledgers
from app.ledgers.sheets import LEDGERS
from app.localtime import center_zone
from app.models import RepairOrder

from . import BenchEnv, Figure, benchmark

TARGET_ROWS = 100_000
ROUNDS = 3

CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.ledgers.export import export_ledgers
ctx = Context(Database(sys.argv[1]), SYSTEM_ACTOR, "bench")
started = time.perf_counter()
(path,) = export_ledgers(ctx, date.fromisoformat(sys.argv[2]), date.fromisoformat(sys.argv[3]),
                         Path(sys.argv[4]), ["receiving"])
seconds = time.perf_counter() - started
# VmHWM: this process image's own peak (ru_maxrss would keep the forking parent's peak on Linux).
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak_kb = int(status.split()[0])
except (OSError, IndexError, ValueError):
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_kb": peak_kb}))
"""


def _range(db: Database, orders: int) -> tuple[date, date]:
    with db.read() as session:
        newest = session.scalar(
            select(RepairOrder.received_at).order_by(RepairOrder.received_at.desc()).limit(1)
        )
        edge = session.scalar(
            select(RepairOrder.received_at)
            .order_by(RepairOrder.received_at.desc())
            .offset(min(TARGET_ROWS, orders) - 1)
            .limit(1)
        )
    return edge.astimezone(center_zone()).date(), newest.astimezone(center_zone()).date()


def _bare_dump(db: Database, first: date, last: date, out: Path) -> tuple[float, int]:
    """The same query, its values written by plain ``append`` without any styling."""
    sheet = LEDGERS["receiving"].sheets[0]
    start = datetime.combine(first, clock_time.min, center_zone())
    end = datetime.combine(last, clock_time.max, center_zone())
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet("bare")
    worksheet.append([column.header for column in sheet.columns])
    rows = 0
    with db.read() as session:
        for row in sheet.rows(session, start, end):
            worksheet.append(
                [
                    value.replace(tzinfo=None)
                    if isinstance(value, datetime)
                    else (
                        "、".join(value)
                        if isinstance(value, list)
                        else (str(value) if isinstance(value, dict) else value)
                    )
                    for value in row
                ]
            )
            rows += 1
    workbook.save(out)
    return time.perf_counter() - started, rows


def _export(db: Database, first: date, last: date, out: Path) -> float:
    started = time.perf_counter()
    export_ledgers(Context(db, SYSTEM_ACTOR, "bench"), first, last, out, ["receiving"])
    return time.perf_counter() - started


@benchmark("export")
def export(env: BenchEnv) -> list[Figure]:
    db = Database(env.url)
    ratios, cpu_ratios, exports = [], [], []
    try:
        first, last = _range(db, env.orders)
        for number in range(ROUNDS):
            cpu = time.process_time()
            bare_seconds, rows = _bare_dump(db, first, last, env.work_dir / "bare.xlsx")
            bare_cpu, cpu = time.process_time() - cpu, time.process_time()
            exports.append(_export(db, first, last, env.work_dir))
            cpu_ratios.append((time.process_time() - cpu) / bare_cpu)
            ratios.append(exports[-1] / bare_seconds)
            print(
                f"  export round {number + 1}: {exports[-1]:.2f} s, bare {bare_seconds:.2f} s",
                file=sys.stderr,
            )
    finally:
        db.dispose()
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            env.url,
            first.isoformat(),
            last.isoformat(),
            str(env.work_dir),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"export: {rows} rows ({first} .. {last})", file=sys.stderr)
    return [
        Figure("export_rows", rows, "rows"),
        Figure("export_100k_rows_s", statistics.median(exports) * TARGET_ROWS / max(rows, 1), "s"),
        Figure("export_100k_rows_peak_mb", measured["peak_kb"] / 1024, "MB"),
        Figure("export_vs_bare_openpyxl", statistics.median(ratios), "x"),
        Figure("export_vs_bare_openpyxl_cpu", statistics.median(cpu_ratios), "x"),
    ]
