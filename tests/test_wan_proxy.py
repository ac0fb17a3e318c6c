"""The latency proxy (benchmarks/wan_proxy.py): it adds its delay each way, keeps the bytes in
order, counts round trips as they cross, and carries a whole floor flow to PostgreSQL."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

from app.clock import ManualClock
from app.context import Context
from app.db import Database
from app.models import RepairOrder, RepairState
from benchmarks.wan_proxy import LatencyProxy
from tests.conftest import PASSWORD
from tests.factories import add_model, floor_staff, receive, repair_and_ship


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A TCP echo server on a thread of its own: what it reads, it writes back at once."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    port: list[int] = []

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65_536):
            writer.write(data)
            await writer.drain()
        writer.close()

    def run() -> None:
        server = loop.run_until_complete(asyncio.start_server(echo, "127.0.0.1", 0))
        port.append(server.sockets[0].getsockname()[1])
        started.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait()
    yield port[0]
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)


def exchange(sock: socket.socket, payload: bytes) -> bytes:
    sock.sendall(payload)
    received = b""
    while len(received) < len(payload):
        received += sock.recv(65_536)
    return received


def test_a_round_trip_costs_twice_the_one_way_delay(echo_port: int) -> None:
    with LatencyProxy("127.0.0.1", echo_port, one_way_ms=25) as proxy:
        with socket.create_connection((proxy.host, proxy.port)) as sock:
            exchange(sock, b"warm")
            samples = []
            for _ in range(8):
                started = time.perf_counter()
                assert exchange(sock, b"ping") == b"ping"
                samples.append((time.perf_counter() - started) * 1000)
    assert min(samples) >= 50  # never faster than the wire it stands for
    # and no slower than it, give or take a loaded machine's scheduling (the best of 8)
    assert min(samples) < 50 + 25


def test_bytes_arrive_whole_and_in_order(echo_port: int) -> None:
    payload = bytes(range(256)) * 4_000  # ~1 MB: many chunks each way
    with LatencyProxy("127.0.0.1", echo_port, one_way_ms=5) as proxy:
        with socket.create_connection((proxy.host, proxy.port)) as sock:
            assert exchange(sock, payload) == payload


def test_round_trips_are_counted_by_answers_not_by_chunks(echo_port: int) -> None:
    with LatencyProxy("127.0.0.1", echo_port, one_way_ms=20) as proxy:
        with socket.create_connection((proxy.host, proxy.port)) as sock:
            # As libpq does: a small send leaves at once, not after the last one's ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with proxy.counting() as trips:
                for _ in range(3):
                    exchange(sock, b"q")
            assert trips[0] == 3
            with proxy.counting() as trips:
                # Two sends before the first answer comes back: one trip on the wire.
                sock.sendall(b"a")
                sock.sendall(b"b")
                received = b""
                while len(received) < 2:
                    received += sock.recv(16)
            assert trips[0] == 1


def test_a_server_that_is_down_closes_the_client_connection() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    with LatencyProxy("127.0.0.1", dead_port, one_way_ms=1) as proxy:
        with socket.create_connection((proxy.host, proxy.port)) as sock:
            sock.settimeout(5)
            assert sock.recv(16) == b""


@pytest.fixture
def wan_db(db: Database) -> Iterator[Database]:
    """The test's PostgreSQL database reached through the proxy at 10 ms round trip."""
    if db.is_sqlite:
        pytest.skip("the proxy carries a server's wire: PostgreSQL only")
    url = db.url.render_as_string(hide_password=False)
    with LatencyProxy(db.url.host or "127.0.0.1", db.url.port or 5432, one_way_ms=5) as proxy:
        far = Database(proxy.url_for(url))
        far.proxy = proxy  # type: ignore[attr-defined]
        yield far
        far.dispose()


def test_select_one_through_the_proxy_on_postgresql(wan_db: Database) -> None:
    with wan_db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql("SELECT 1")
        samples = []
        for _ in range(8):
            started = time.perf_counter()
            assert connection.execute(text("SELECT 1")).scalar() == 1
            samples.append((time.perf_counter() - started) * 1000)
    assert min(samples) >= 10
    assert min(samples) < 10 + 25


def far_away(ctx: Context, far: Database) -> Context:
    return Context(far, ctx.actor, ctx.station, ctx.clock)


def test_a_whole_floor_flow_through_the_proxy(
    wan_db: Database, db: Database, make_user: Callable[..., Any], clock: ManualClock
) -> None:
    add_model(db)
    floor = {
        name: far_away(value, wan_db) if isinstance(value, Context) else value
        for name, value in floor_staff(db, make_user).items()
    }
    proxy: LatencyProxy = wan_db.proxy  # type: ignore[attr-defined]
    with proxy.counting() as trips:
        received = receive(floor["clerk"], floor["customer"])
        repair_and_ship(floor, clock, received.order_id, PASSWORD)
    with db.read() as session:
        state = session.scalar(select(RepairOrder.state).where(RepairOrder.id == received.order_id))
    assert state is RepairState.SHIPPED
    assert trips[0] > 10  # it all went over the proxy's wire
