"""``growth``: the per-action figures (a scan at each floor tab, the UI time of a commit's
broadcast, a search, a receiving scan, a bare commit) on a data set of N/10 and of N orders, in one
run, and how much each grew: ``growth_ratio_<figure>`` = figure at N ÷ figure at N/10, and
``growth_ratio_max``, the worst of them (1 would be a cost that does not grow with the database).
With the default N, that is 100,000 against 1,000,000 orders.

Both data sets come from the SQLite cache: with ``--db`` (one database, one size) it prints
nothing and says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import BENCHMARKS, BenchEnv, Figure, benchmark
from .dataset import DEFAULT_CACHE_DIR, ensure_dataset

PER_ACTION = ("floor", "search", "scan", "bare_commit")
# Per-action figures only: the longest stall and counts are not costs of one action.
SKIPPED = ("ui_block_max_ms", "search_queries")


def _figures(env: BenchEnv) -> dict[str, float]:
    figures: dict[str, float] = {}
    for name in PER_ACTION:
        print(f"  growth: {name} at {env.orders:,} orders", file=sys.stderr, flush=True)
        for figure in BENCHMARKS[name](env):
            if figure.unit == "ms" and figure.name not in SKIPPED:
                figures[figure.name] = figure.value
    return figures


@benchmark("growth")
def growth(env: BenchEnv) -> list[Figure]:
    if env.given_db:
        print("  growth: needs two data sets of the SQLite cache; not with --db", file=sys.stderr)
        return []
    small_orders = max(1, env.orders // 10)
    small_url = ensure_dataset(small_orders, cache_dir=env.cache_dir or DEFAULT_CACHE_DIR)
    small_dir = env.work_dir / "growth-small"
    small_dir.mkdir(parents=True, exist_ok=True)
    small = _figures(BenchEnv(small_url, small_orders, Path(small_dir), cache_dir=env.cache_dir))
    large = _figures(env)
    ratios = {
        name: large[name] / small[name] for name in sorted(small) if name in large and small[name]
    }
    if not ratios:
        return []
    worst = max(ratios, key=ratios.__getitem__)
    print(f"  growth: worst {worst} ({small[worst]:.1f} → {large[worst]:.1f} ms)", file=sys.stderr)
    return [
        *(Figure(f"growth_ratio_{name}", ratio, "x") for name, ratio in ratios.items()),
        Figure("growth_ratio_max", ratios[worst], "x"),
    ]
