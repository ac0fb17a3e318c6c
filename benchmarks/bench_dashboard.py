"""``dashboard``: the KPI dashboard's figures for a year — twelve monthly KPI rows, the turnaround
histogram and each technician's output over the twelve months ending today (what the ledgers tab
computes, at the monthly granularity, stretched to a year); the median of a few runs. Also a
fixed one-month KPI (``kpi_month_ms``): constant in the database's size when every aggregate
reads only its month through an index.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta

from app.clock import SystemClock
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.ledgers.kpi import period_kpis, technician_productivity, turnaround_histogram
from app.localtime import center_zone

from . import BenchEnv, Figure, benchmark

RUNS = 3


def _median_ms(run, runs: int = RUNS) -> float:
    run()  # warm the caches once, as a dashboard opened a second time
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"  runs (ms): {', '.join(f'{s:.0f}' for s in samples)}", file=sys.stderr)
    return statistics.median(samples)


@benchmark("dashboard")
def dashboard(env: BenchEnv) -> list[Figure]:
    db = Database(env.url)
    try:
        ctx = Context(db, SYSTEM_ACTOR, "bench", SystemClock())
        today = datetime.now(center_zone()).date()
        first = today.replace(day=1)
        for _ in range(11):
            first = (first - timedelta(days=1)).replace(day=1)

        def year() -> None:
            period_kpis(ctx, first, today, "month")
            turnaround_histogram(ctx, first, today)
            technician_productivity(ctx, first, today)

        last_month_end = today.replace(day=1) - timedelta(days=1)
        month = lambda: period_kpis(ctx, last_month_end.replace(day=1), last_month_end)  # noqa: E731
        return [
            Figure("dashboard_year_ms", _median_ms(year), "ms"),
            Figure("kpi_month_ms", _median_ms(month), "ms"),
        ]
    finally:
        db.dispose()
