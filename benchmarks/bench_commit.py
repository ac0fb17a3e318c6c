"""``bare_commit``: one tiny insert + commit through ``Database.transaction()``, 2,000 times.

The floor under every scan: whatever a scan does, it pays at least this. Runs on the data set's
own database (its size and WAL file as they are), in a scratch table dropped afterwards.
"""

from __future__ import annotations

import time

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, insert

from app.db import Database

from . import BenchEnv, Figure, benchmark, percentile

COMMITS = 2_000
WARM_UP = 50

scratch = Table(
    "bench_scratch",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("payload", String(64), nullable=False),
    Column("at", Float, nullable=False),
)


@benchmark("bare_commit")
def bare_commit(env: BenchEnv) -> list[Figure]:
    db = Database(env.url)
    try:
        scratch.drop(db.engine, checkfirst=True)
        scratch.create(db.engine)
        samples: list[float] = []
        for index in range(WARM_UP + COMMITS):
            started = time.perf_counter()
            with db.transaction() as session:
                session.execute(insert(scratch).values(payload=f"scan {index}", at=time.time()))
            if index >= WARM_UP:
                samples.append((time.perf_counter() - started) * 1000)
        scratch.drop(db.engine)
    finally:
        db.dispose()
    return [
        Figure("bare_commit_p50_ms", percentile(samples, 0.50), "ms"),
        Figure("bare_commit_p99_ms", percentile(samples, 0.99), "ms"),
    ]
