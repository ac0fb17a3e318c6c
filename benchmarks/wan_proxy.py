"""A latency-injecting TCP proxy: a station in another city, on one machine.

``LatencyProxy(target_host, target_port, one_way_ms=20)`` listens on a free local port and
forwards every connection to the target (the PostgreSQL server), holding each chunk of bytes
``one_way_ms`` before passing it on, in each direction, in order: a request and its answer cost
2 × one_way_ms more than on the LAN, as at a real round trip time of that size. It also counts
the *round trips* the clients make: a client's send that follows an answer from the server (or
opens the connection) starts a new round trip; what a client sends before the answer comes is
the same trip. That is what crosses the wire, whatever the driver does on its own (BEGIN, a
pool's ping, COMMIT).

Why our own ~100 lines: toxiproxy (the usual tool, with a ``latency`` toxic) is a Go server
with an HTTP API: it is not on PyPI or in Debian, and neither this machine nor CI may download
its binary; the Python packages on PyPI are only clients of that server. ``tc qdisc ... netem
delay`` needs root with NET_ADMIN and would slow the loopback of every other process on the
machine (other test runs, the CI). asyncio does a fixed delay each way exactly, in one thread,
per process; the proxy runs its loop on a daemon thread so synchronous code (tests,
benchmarks, SQLAlchemy) uses it as it would use a server in another city.

Use::

    with LatencyProxy("127.0.0.1", 5432, one_way_ms=20) as proxy:
        url = proxy.url_for("postgresql+psycopg://user@127.0.0.1:5432/db")
        ...
        proxy.round_trips  # counted since the start (or since ``reset_counts()``)
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from types import TracebackType

from sqlalchemy.engine import make_url

CHUNK = 65_536


class LatencyProxy:
    def __init__(self, target_host: str, target_port: int, one_way_ms: float = 20.0) -> None:
        self.target_host, self.target_port = target_host, target_port
        self.one_way_s = one_way_ms / 1000
        self.host = "127.0.0.1"
        self.port = 0  # known once started
        self._lock = threading.Lock()
        self._round_trips = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # -- the counts ---------------------------------------------------------------------------
    @property
    def round_trips(self) -> int:
        with self._lock:
            return self._round_trips

    def reset_counts(self) -> None:
        with self._lock:
            self._round_trips = 0

    @contextlib.contextmanager
    def counting(self) -> Iterator[list[int]]:
        """``with proxy.counting() as trips:`` — ``trips[0]`` is the round trips of the block."""
        result = [0]
        before = self.round_trips
        try:
            yield result
        finally:
            result[0] = self.round_trips - before

    # -- start and stop -----------------------------------------------------------------------
    def start(self) -> LatencyProxy:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._serve, self.host, 0)
                )
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as error:  # noqa: BLE001 - handed to the starting thread
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="latency-proxy", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            loop.stop()

        loop.call_soon_threadsafe(lambda: loop.create_task(shut()))
        thread.join(timeout=10)
        self._loop = self._thread = None

    def __enter__(self) -> LatencyProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def url_for(self, url: str) -> str:
        """``url`` (a SQLAlchemy URL of the target server) pointed at the proxy instead."""
        return make_url(url).set(host=self.host, port=self.port).render_as_string(False)

    # -- one connection -----------------------------------------------------------------------
    async def _serve(self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter):
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            server_in, server_out = await asyncio.open_connection(
                self.target_host, self.target_port
            )
        except OSError:
            client_out.close()
            self._tasks.discard(task)  # type: ignore[arg-type]
            return
        answered = [True]  # the server has answered since the client last sent: a new trip
        try:
            await asyncio.gather(
                self._pipe(client_in, server_out, answered, from_client=True),
                self._pipe(server_in, client_out, answered, from_client=False),
            )
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            for writer in (client_out, server_out):
                writer.close()
            self._tasks.discard(task)  # type: ignore[arg-type]

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        answered: list[bool],
        *,
        from_client: bool,
    ) -> None:
        """Read chunks as they come; each leaves ``one_way_s`` after it arrived, in order."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not data:
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        delivering = asyncio.create_task(deliver())
        try:
            while True:
                data = await reader.read(CHUNK)
                if from_client and data and answered[0]:
                    answered[0] = False
                    with self._lock:
                        self._round_trips += 1
                elif not from_client and data:
                    answered[0] = True
                queue.put_nowait((time.monotonic() + self.one_way_s, data))
                if not data:
                    break
            await delivering
        finally:
            delivering.cancel()
