"""RepairFloor benchmarks: ``python -m benchmarks [--orders N] [--db URL] [NAME...]``.

A benchmark is a function registered by name that gets a :class:`BenchEnv` (the database URL of
a generated data set of N repair orders) and returns :class:`Figure` values, printed one a line
as ``name value unit``. To add one, put a module ``benchmarks/bench_<topic>.py`` here::

    @benchmark("scan")
    def scan(env: BenchEnv) -> list[Figure]:
        ...
        return [Figure("scan_p99_ms", p99, "ms")]

Every ``bench_*`` module is imported by the runner, so registering is all it takes. A benchmark
runs on the shared (cached) data set: it must leave it as it found it, or work on a copy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str

    def line(self) -> str:
        return f"{self.name} {self.value:.3f} {self.unit}"


@dataclass(frozen=True)
class BenchEnv:
    url: str  # SQLAlchemy URL of the generated data set
    orders: int  # how many repair orders it holds
    work_dir: Path  # scratch space a benchmark may use
    cache_dir: Path | None = None  # where SQLite data sets are cached (None: the default)
    given_db: bool = False  # the data set is a database given with --db


BenchmarkFunction = Callable[[BenchEnv], list[Figure]]

BENCHMARKS: dict[str, BenchmarkFunction] = {}


def benchmark(name: str) -> Callable[[BenchmarkFunction], BenchmarkFunction]:
    """Register ``function`` under ``name`` (run by default, or by naming it on the command line)."""

    def register(function: BenchmarkFunction) -> BenchmarkFunction:
        if name in BENCHMARKS and BENCHMARKS[name] is not function:
            raise ValueError(f"benchmark {name!r} registered twice")
        BENCHMARKS[name] = function
        return function

    return register


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of a non-empty list of samples."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]
