"""``growth``: the per-action figures (a scan at each floor tab, the UI time of a commit's
broadcast, a search, a receiving scan, a bare commit) and the lists each tab reads when shown, on
a data set of N/10 and of N orders, in one run, and how much each grew: ``growth_ratio_<figure>``
= figure at N ÷ figure at N/10. ``growth_ratio_max`` is the worst of the per-action figures (1
would be a cost that does not grow with the database). With the default N, that is 100,000
against 1,000,000 orders.

The lists' ratios have their own worst, ``growth_ratio_views_max``: the data set spreads N orders
over the same three years, so at N a week holds ten times the sign-offs and the floor ten times
the work in progress; a list of 8 weeks' first-pass yield or of the open queue reads ten times
the rows at 1,000,000 even when it reads nothing outside its window. A scan reads one order,
whatever the volume: its figures must not grow. Whether a list reads the history outside its
window is tested without a clock in tests/test_tab_open_cost.py (SQLite VM steps).

Both data sets come from the SQLite cache: with ``--db`` (one database, one size) it prints
nothing and says so.

The two sizes are measured in turn, ``ROUNDS`` times (small, large, small, large), and each figure
is the best of its rounds: a figure measured once is as much the moment as the code (a p99 of 60
scans is their slowest one or two; a run after a few minutes of load is slower throughout), and
noise only ever adds. Each round's figures are printed on stderr. Whether a scan's *work* grows
with the database is tested without a clock in tests/test_scan_cost.py (SQLite VM steps).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import BENCHMARKS, BenchEnv, Figure, benchmark
from .dataset import DEFAULT_CACHE_DIR, ensure_dataset

PER_ACTION = ("floor", "search", "scan", "bare_commit", "views")
WINDOW_LISTS = ("views",)  # their figures have their own worst (the docstring says why)
ROUNDS = 2
# Per-action figures only: the longest stall and counts are not costs of one action.
SKIPPED = ("ui_block_max_ms", "search_queries")


def _figures(env: BenchEnv, lists: set[str] | None = None) -> dict[str, float]:
    """Each per-action figure by name; the names of the window lists' figures go to ``lists``."""
    figures: dict[str, float] = {}
    for name in PER_ACTION:
        print(f"  growth: {name} at {env.orders:,} orders", file=sys.stderr, flush=True)
        for figure in BENCHMARKS[name](env):
            if figure.unit == "ms" and figure.name not in SKIPPED:
                figures[figure.name] = figure.value
                if lists is not None and name in WINDOW_LISTS:
                    lists.add(figure.name)
    return figures


def _best(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's lowest value over the rounds (figures missing from a round are skipped)."""
    best: dict[str, float] = {}
    for figures in rounds:
        for name, value in figures.items():
            best[name] = min(value, best.get(name, value))
    return best


@benchmark("growth")
def growth(env: BenchEnv) -> list[Figure]:
    if env.given_db:
        print("  growth: needs two data sets of the SQLite cache; not with --db", file=sys.stderr)
        return []
    small_orders = max(1, env.orders // 10)
    small_url = ensure_dataset(small_orders, cache_dir=env.cache_dir or DEFAULT_CACHE_DIR)
    small_dir = env.work_dir / "growth-small"
    small_dir.mkdir(parents=True, exist_ok=True)
    small_env = BenchEnv(small_url, small_orders, Path(small_dir), cache_dir=env.cache_dir)
    small_rounds: list[dict[str, float]] = []
    large_rounds: list[dict[str, float]] = []
    lists: set[str] = set()
    for number in range(1, ROUNDS + 1):
        print(f"  growth: round {number} of {ROUNDS}", file=sys.stderr, flush=True)
        small_rounds.append(_figures(small_env, lists))
        large_rounds.append(_figures(env, lists))
    for size, rounds in ((small_orders, small_rounds), (env.orders, large_rounds)):
        for name in sorted(rounds[0]):
            each = " ".join(f"{figures.get(name, float('nan')):.1f}" for figures in rounds)
            print(f"  growth: {size:,} orders {name}: {each}", file=sys.stderr)
    small, large = _best(small_rounds), _best(large_rounds)
    ratios = {
        name: large[name] / small[name] for name in sorted(small) if name in large and small[name]
    }
    if not ratios:
        return []
    out = [Figure(f"growth_ratio_{name}", ratio, "x") for name, ratio in ratios.items()]
    for label, names in (
        ("max", [name for name in ratios if name not in lists]),
        ("views_max", [name for name in ratios if name in lists]),
    ):
        if not names:
            continue
        worst = max(names, key=ratios.__getitem__)
        print(
            f"  growth: {label} {worst} ({small[worst]:.1f} → {large[worst]:.1f} ms)",
            file=sys.stderr,
        )
        out.append(Figure(f"growth_ratio_{label}", ratios[worst], "x"))
    return out
