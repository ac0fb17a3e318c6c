"""The benchmark harness runs end to end on a tiny data set and prints parseable figures."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from app.db import Database
from app.models import (
    AgingRun,
    AuditEntry,
    Complaint,
    FollowUp,
    OrderStateCount,
    RepairOrder,
    Shipment,
    StockMove,
    Unit,
    User,
)
from benchmarks import BENCHMARKS, percentile
from benchmarks.dataset import cache_path
from benchmarks.runner import load_benchmarks, main

FIGURE_LINE = re.compile(r"^(?P<name>[a-z0-9_]+) (?P<value>-?\d+(\.\d+)?) (?P<unit>\S+)$")


def run(argv: list[str]) -> dict[str, float]:
    out = io.StringIO()
    assert main(argv, out=out) == 0
    figures = {}
    for line in out.getvalue().splitlines():
        match = FIGURE_LINE.match(line)
        assert match, f"not a figure line: {line!r}"
        figures[match["name"]] = float(match["value"])
    return figures


def test_bare_commit_on_a_tiny_generated_database(database_url: str, tmp_path: Path) -> None:
    figures = run(
        ["--orders", "500", "--db", database_url, "--cache-dir", str(tmp_path), "bare_commit"]
    )
    assert set(figures) == {"bare_commit_p50_ms", "bare_commit_p99_ms"}
    assert 0 < figures["bare_commit_p50_ms"] <= figures["bare_commit_p99_ms"]
    db = Database(database_url)
    try:
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(RepairOrder)) == 500
            assert 0 < (session.scalar(select(func.count()).select_from(Unit)) or 0) <= 500
            assert session.scalar(select(User.id).where(User.username == "admin")) is not None
        assert "bench_scratch" not in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


def test_the_sqlite_data_set_is_cached_by_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--orders", "300", "--cache-dir", str(tmp_path), "bare_commit"]
    run(argv)
    assert cache_path(tmp_path, 300).exists()
    run(argv)
    assert "data set: cached" in capsys.readouterr().err


def test_a_data_set_of_an_older_schema_is_upgraded_not_generated_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from alembic import command

    from app import schema

    argv = ["--orders", "300", "--cache-dir", str(tmp_path), "bare_commit"]
    run(argv)
    head = cache_path(tmp_path, 300)
    db = Database(f"sqlite:///{head}")
    try:
        command.downgrade(schema.alembic_config(db), "-1")
        older = schema.current_revision(db)
    finally:
        db.dispose()
    assert older and older != schema.head_revision()
    head.rename(head.with_name(head.name.replace(schema.head_revision(), older)))
    capsys.readouterr()
    run(argv)
    err = capsys.readouterr().err
    assert "upgrading" in err and "removing" not in err
    db = Database(f"sqlite:///{head}")
    try:
        assert schema.current_revision(db) == schema.head_revision()
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(RepairOrder)) == 300
    finally:
        db.dispose()


def test_every_benchmark_is_registered_and_unknown_names_are_refused() -> None:
    load_benchmarks()
    assert {"startup", "bare_commit"} <= set(BENCHMARKS)
    assert main(["--orders", "10", "no_such_benchmark"], out=io.StringIO()) == 2


def test_percentile_is_nearest_rank() -> None:
    samples = [float(value) for value in range(1, 101)]
    assert percentile(samples, 0.5) == 50
    assert percentile(samples, 0.99) == 99
    assert percentile([3.0], 0.99) == 3


def test_the_dashboard_and_floor_benchmarks_run_on_a_tiny_database(
    database_url: str, tmp_path: Path
) -> None:
    figures = run(
        [
            "--orders",
            "300",
            "--db",
            database_url,
            "--cache-dir",
            str(tmp_path),
            "dashboard",
            "floor",
        ]
    )
    # A tiny data set may hold no order waiting for allocation or in QC: that tab is skipped.
    tabs = ("receiving", "parts", "shipping", "complaints")
    figures = {
        name: value for name, value in figures.items() if not name.startswith(("allocation", "qc"))
    }
    assert set(figures) == {
        "dashboard_year_ms",
        "kpi_month_ms",
        "ui_block_max_ms",
        "commit_broadcast_ui_ms",
        *(f"{tab}_scan_to_idle_{p}_ms" for tab in tabs for p in ("p50", "p99")),
    }
    assert all(value >= 0 for value in figures.values())
    assert all(
        0 < figures[f"{tab}_scan_to_idle_p50_ms"] <= figures[f"{tab}_scan_to_idle_p99_ms"]
        for tab in tabs
    )


def test_the_views_benchmark_reads_each_tabs_lists(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_views

    monkeypatch.setattr(bench_views, "RUNS", 1)
    figures = run(["--orders", "300", "--db", database_url, "--cache-dir", str(tmp_path), "views"])
    assert set(figures) == {f"{tab}_lists_ms" for tab in bench_views.TABS}
    assert all(value > 0 for value in figures.values())


def test_the_parts_benchmark_runs_on_a_tiny_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its counters and its ledger view (a ledger of its own, built with the current schema):
    both broke unseen once when the parts master and the read worker came."""
    from benchmarks import bench_parts

    monkeypatch.setattr(bench_parts, "ISSUES", 80)
    monkeypatch.setattr(bench_parts, "LEDGER_MOVES", 3_000)
    monkeypatch.setattr(bench_parts, "OPENS", 2)
    figures = run(["--orders", "200", "--cache-dir", str(tmp_path), "parts"])
    assert set(figures) == {"part_issues_per_s", "ledger_view_open_ms"}
    assert figures["part_issues_per_s"] > 0 and figures["ledger_view_open_ms"] > 0


def test_the_stations_benchmark_hears_each_commit(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_stations

    monkeypatch.setattr(bench_stations, "ROUNDS", 3)
    argv = ["--orders", "200", "--db", database_url, "--cache-dir", str(tmp_path), "stations"]
    for _ in range(2):  # twice: the probe row of the first run is gone, or changed, not added
        figures = run(argv)
        assert set(figures) == {"refresh_delay_p50_ms", "refresh_delay_p99_ms"}
        assert 0 < figures["refresh_delay_p50_ms"] <= figures["refresh_delay_p99_ms"]


def test_growth_compares_the_per_action_figures_of_two_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_growth

    monkeypatch.setattr(bench_growth, "PER_ACTION", ("bare_commit",))  # fast, same mechanism
    figures = run(["--orders", "200", "--cache-dir", str(tmp_path), "growth"])
    assert cache_path(tmp_path, 20).exists() and cache_path(tmp_path, 200).exists()
    assert set(figures) == {
        "growth_ratio_bare_commit_p50_ms",
        "growth_ratio_bare_commit_p99_ms",
        "growth_ratio_max",
    }
    assert figures["growth_ratio_max"] == max(
        figures["growth_ratio_bare_commit_p50_ms"], figures["growth_ratio_bare_commit_p99_ms"]
    )


def test_growth_alternates_the_sizes_and_takes_each_figures_best_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow moment in one round (a p99 of one slow scan) is not a cost that grows; a window's
    list (ten times the rows at ten times the volume) has its own worst."""
    from benchmarks import bench_growth

    calls: list[int] = []
    measured = {  # (size, round) -> figures: the large size's first round was a slow moment
        (20, 1): {"a_ms": 10.0, "b_ms": 4.0, "qc_lists_ms": 10.0},
        (200, 1): {"a_ms": 40.0, "b_ms": 4.4, "qc_lists_ms": 50.0},
        (20, 2): {"a_ms": 11.0, "b_ms": 5.0, "qc_lists_ms": 12.0},
        (200, 2): {"a_ms": 12.0, "b_ms": 6.0, "qc_lists_ms": 45.0},
    }

    def figures(env: object, lists: set[str] | None = None) -> dict[str, float]:
        orders = env.orders  # type: ignore[attr-defined]
        calls.append(orders)
        if lists is not None:
            lists.add("qc_lists_ms")
        return measured[(orders, calls.count(orders))]

    monkeypatch.setattr(bench_growth, "_figures", figures)
    result = run(["--orders", "200", "--cache-dir", str(tmp_path), "growth"])
    assert calls == [20, 200, 20, 200]
    assert result["growth_ratio_a_ms"] == pytest.approx(12.0 / 10.0)
    assert result["growth_ratio_b_ms"] == pytest.approx(4.4 / 4.0)
    assert result["growth_ratio_max"] == pytest.approx(1.2)
    assert result["growth_ratio_views_max"] == pytest.approx(45.0 / 10.0)


def test_the_data_set_holds_what_the_floor_leaves_behind(database_url: str, tmp_path) -> None:
    run(["--orders", "400", "--db", database_url, "--cache-dir", str(tmp_path), "bare_commit"])
    db = Database(database_url)
    try:
        with db.read() as session:

            def rows(model: type) -> int:
                return session.scalar(select(func.count()).select_from(model)) or 0

            orders = rows(RepairOrder)
            assert rows(AuditEntry) > 4 * orders  # each step of each order
            assert rows(AgingRun) > orders / 2
            assert rows(StockMove) > orders / 3
            assert rows(Shipment) > orders / 2 and rows(FollowUp) > 0 and rows(Complaint) >= 0
            assert state_counts_match(session)
    finally:
        db.dispose()


def state_counts_match(session) -> bool:
    kept = dict(session.execute(select(OrderStateCount.state, OrderStateCount.orders)).all())
    counted = dict(
        session.execute(select(RepairOrder.state, func.count()).group_by(RepairOrder.state)).all()
    )
    return {state: n for state, n in kept.items() if n} == counted


def test_the_wan_benchmark_runs_through_the_latency_proxy(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_wan

    monkeypatch.setattr(bench_wan, "SCANS", 4)
    monkeypatch.setattr(bench_wan, "WARM_UP", 1)
    monkeypatch.setattr(bench_wan, "PINGS", 3)
    monkeypatch.setenv(bench_wan.RTT_ENV_VAR, "10")
    figures = run(["--orders", "300", "--db", database_url, "--cache-dir", str(tmp_path), "wan"])
    if database_url.startswith("sqlite"):
        assert figures == {}  # no wire to put a proxy on: said on stderr
        return
    assert set(figures) == {
        "wan_rtt_ms",
        "wan_scan_to_saved_p50_ms",
        "wan_scan_to_saved_p99_ms",
        "scan_round_trips",
        "scan_statements",
    }
    assert figures["wan_rtt_ms"] >= 10
    assert figures["scan_round_trips"] == figures["scan_statements"] > 0
    # Every trip costs the round trip at least.
    assert figures["wan_scan_to_saved_p50_ms"] >= 10 * figures["scan_round_trips"]
    assert figures["wan_scan_to_saved_p50_ms"] <= figures["wan_scan_to_saved_p99_ms"]
    db = Database(database_url)
    try:
        with db.read() as session:  # what the scans added is gone
            assert session.scalar(select(func.count()).select_from(RepairOrder)) == 300
    finally:
        db.dispose()


def test_the_headquarters_dashboard_runs_on_a_tiny_network(database_url: str, tmp_path) -> None:
    """Twenty centers of 200 orders; a database given with --db loses the copies again."""
    from app.models import Center

    args = ["--orders", "200", "--db", database_url, "--cache-dir", str(tmp_path), "hq_dashboard"]
    figures = run(args)
    assert set(figures) == {"hq_dashboard_ms"} and figures["hq_dashboard_ms"] > 0
    db = Database(database_url)
    try:
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(Center)) == 1
            assert session.scalar(select(func.count()).select_from(RepairOrder)) == 200
    finally:
        db.dispose()


def test_the_qc_benchmark_prints_the_rack_tick_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import bench_qc

    monkeypatch.setattr(bench_qc, "TICKS", 3)
    monkeypatch.setattr(bench_qc, "WARM_UP", 1)
    figures = run(["--orders", "10", "--cache-dir", str(tmp_path), "qc"])
    assert set(figures) == {
        f"rack_tick{name}{view}" for name in ("_ms", "_p99_ms") for view in ("", "_all_500_visible")
    }
    assert all(value > 0 for value in figures.values())


def test_a_benchmark_run_keeps_its_window_settings_in_a_directory_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never this PC's settings (a clerk's open box and tab) nor the last run's."""
    from app.config import DATA_DIR_ENV_VAR, data_dir
    from benchmarks import BENCHMARKS, Figure

    seen: list[str] = []

    def probe(env: object) -> list[Figure]:
        seen.append(str(data_dir()))
        return [Figure("probe_ms", 1.0, "ms")]

    monkeypatch.setitem(BENCHMARKS, "probe", probe)
    monkeypatch.setenv(DATA_DIR_ENV_VAR, str(tmp_path / "the-pc"))
    monkeypatch.setattr("benchmarks.runner.load_benchmarks", lambda: None)
    run(["--orders", "50", "--cache-dir", str(tmp_path / "cache"), "probe"])
    assert seen and not seen[0].startswith(str(tmp_path / "the-pc"))
    assert "repairfloor-bench-" in seen[0]
    assert os.environ[DATA_DIR_ENV_VAR] == str(tmp_path / "the-pc")


def test_a_benchmark_waits_blocked_in_the_event_loop_and_sees_its_deadline(qapp) -> None:
    from PySide6.QtCore import QTimer

    from benchmarks.qt_wait import wait_until

    done: list[bool] = []
    QTimer.singleShot(30, lambda: done.append(True))
    wait_until(qapp, lambda: bool(done), timeout_s=5, what="the timer")
    assert done
    with pytest.raises(RuntimeError, match="nothing never came"):
        wait_until(qapp, lambda: False, timeout_s=0.2, what="nothing")
