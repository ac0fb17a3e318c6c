"""``python -m benchmarks [--orders N] [--db URL] [NAME...]``: run benchmarks, print figures.

Each figure is printed on stdout as one line ``name value unit``; progress and the individual
runs go to stderr. With no NAME, every registered benchmark runs, in name order.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from app.config import ENV_DATA_DIR

from . import BENCHMARKS, BenchEnv
from .dataset import DEFAULT_CACHE_DIR, ensure_dataset

DEFAULT_ORDERS = 1_000_000


def load_benchmarks() -> None:
    """Import every ``benchmarks/bench_*.py`` module: each registers its benchmarks."""
    package = Path(__file__).parent
    for module in pkgutil.iter_modules([str(package)]):
        if module.name.startswith("bench_"):
            importlib.import_module(f"{__package__}.{module.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--orders",
        type=int,
        default=DEFAULT_ORDERS,
        help=f"repair orders in the data set (default {DEFAULT_ORDERS:,})",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="use this database (e.g. PostgreSQL) instead of the cached SQLite data set; "
        "an empty one is filled first",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=DEFAULT_CACHE_DIR,
        help=f"where SQLite data sets are kept (default {DEFAULT_CACHE_DIR})",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default all)")
    return parser


@contextmanager
def _station_of_its_own(data_dir: Path) -> Iterator[None]:
    """The windows a benchmark opens keep their settings, logs and backups in a directory of
    the run's own: never this PC's (a benchmark run on a station left its current tab and open
    box in the clerk's settings) nor the last run's (a saved tab changed the next start-up)."""
    before = os.environ.get(ENV_DATA_DIR.name)
    os.environ[ENV_DATA_DIR.name] = str(data_dir)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_DATA_DIR.name, None)
        else:
            os.environ[ENV_DATA_DIR.name] = before


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    load_benchmarks()
    if args.list:
        print("\n".join(sorted(BENCHMARKS)), file=out)
        return 0
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sorted(BENCHMARKS))}",
            file=sys.stderr,
        )
        return 2
    if args.orders < 1:
        print("--orders must be at least 1", file=sys.stderr)
        return 2
    url = ensure_dataset(args.orders, url=args.db, cache_dir=args.cache_dir)
    with (
        tempfile.TemporaryDirectory(prefix="repairfloor-bench-") as work_dir,
        _station_of_its_own(Path(work_dir) / "station"),
    ):
        env = BenchEnv(
            url=url,
            orders=args.orders,
            work_dir=Path(work_dir),
            cache_dir=args.cache_dir,
            given_db=bool(args.db),
        )
        for name in args.names or sorted(BENCHMARKS):
            started = time.perf_counter()
            print(f"benchmark {name}: running", file=sys.stderr, flush=True)
            for figure in BENCHMARKS[name](env):
                print(figure.line(), file=out, flush=True)
            print(f"benchmark {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
