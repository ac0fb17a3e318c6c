"""``stations``: refresh delay between two stations — from a commit at station A to station B's
change broadcast (what refreshes its views), through the change watcher (polled change marks on
SQLite, LISTEN/NOTIFY on PostgreSQL). Writes one scratch setting and removes it afterwards.
"""

from __future__ import annotations

import sys
import threading
import time

from sqlalchemy import delete, select

from app.db import CHANGE_MARK, Database
from app.livesync import ChangeWatcher
from app.models import Counter, Setting

from . import BenchEnv, Figure, benchmark, percentile

ROUNDS = 60
KEY = "bench.refresh_probe"


@benchmark("stations")
def stations(env: BenchEnv) -> list[Figure]:
    station_a, station_b = Database(env.url), Database(env.url)
    heard = threading.Event()
    heard_at: list[float] = []

    def on_change(tables: frozenset[str]) -> None:
        if "settings" in tables:
            heard_at.append(time.perf_counter())
            heard.set()

    watcher = ChangeWatcher(station_b).start()
    station_b.subscribe(on_change)
    delays: list[float] = []
    with station_a.transaction() as session:  # the probe row, once: each round changes it
        session.execute(delete(Setting).where(Setting.key == KEY))
        session.add(Setting(key=KEY, value=-1))
    try:
        time.sleep(1.0)  # the watcher is listening and has read the marks
        for round_number in range(ROUNDS):
            heard.clear()
            # From the start of the save (the commit itself included): the other station may
            # hear of it before this thread is back from the commit.
            committed = time.perf_counter()
            with station_a.transaction() as session:
                # The row by its key (merge() went by the primary key, which holds the center).
                session.scalars(
                    select(Setting).where(Setting.key == KEY)
                ).one().value = round_number
            if not heard.wait(5.0):
                print(f"stations: round {round_number} never arrived", file=sys.stderr)
                continue
            delays.append((heard_at[-1] - committed) * 1000)
            time.sleep(0.05 + (round_number % 7) * 0.031)  # commits land anywhere in a poll cycle
    finally:
        watcher.stop()
        with station_a.transaction() as session:
            session.execute(delete(Setting).where(Setting.key == KEY))
            session.execute(delete(Counter).where(Counter.name == CHANGE_MARK + "settings"))
        station_a.dispose()
        station_b.dispose()
    return [
        Figure("refresh_delay_p50_ms", percentile(delays, 0.50), "ms"),
        Figure("refresh_delay_p99_ms", percentile(delays, 0.99), "ms"),
    ]
