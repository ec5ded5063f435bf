"""Open-loop HTTP load for benchmarks/server.py: requests sent on a fixed schedule, whatever
the server answers.

A closed-loop client sends its next request when the previous one has answered, so a server
that stalls is simply sent less, and the stall shows up as lower throughput rather than as
latency ("coordinated omission"). Here every request has a *scheduled* send time fixed before
the phase starts, and its latency is measured from that time to the last byte of its answer:
time spent waiting for the generator, for a free connection or for the server all counts.

- **Arrivals**: constant inter-arrival by default (request ``i`` at ``i / rate``), as wrk2
  does: every round and every run sends the same schedule, so their figures compare, and the
  queueing in them is the server's alone. ``arrivals="poisson"`` draws exponential gaps from
  a fixed seed instead: more like many independent users, and burstier (at the same rate and
  utilisation a Poisson stream queues more than an even one).
- **Connections**: HTTP/1.1 keep-alive, opened ahead (``warm``) and used in turn (the idle one
  longest unused goes next), so the requests spread over the server's processes as the
  connections did when they were accepted. When every open connection is busy the pool opens
  another, up to ``limit`` in all; only beyond that does a request wait for one, and that wait
  is counted in its latency and reported.
- **Processes**: the schedule is dealt round-robin over ``processes`` asyncio loops, so their
  union is exactly the schedule. Each records how late it dispatched every request
  (the schedule lag: its own loop was busy or off the CPU); a phase whose lag p99 exceeds
  :data:`LATE_MS` says that the generator fell behind, and its latencies are then an upper
  bound, not the server's alone.
- **Errors**: an answer other than 2xx is a status error; a failed connect, reset, malformed
  answer or no answer within :data:`TIMEOUT_S` is a socket error. They are counted apart, and
  the latency percentiles are over the 2xx answers.
- **CPU**: each process's own CPU time (``time.process_time``) from its first scheduled send to
  its last answer, so the generator's cost per request is reported beside the server's.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import random
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

LATE_MS = 5.0  # schedule lag p99 above which the generator is said to have fallen behind
TIMEOUT_S = 30.0  # per request, from its dispatch
SOCKET_ERROR = -1  # status recorded for a request that got no well-formed answer
SLOWEST = 5  # requests kept in full per phase


class Record(NamedTuple):
    """One request; times in seconds."""

    label: int  # index into the phase's labels
    status: int  # HTTP status, or SOCKET_ERROR
    latency: float  # from its scheduled send time to the last byte of the answer
    lag: float  # from its scheduled send time to its dispatch (the generator's own delay)
    wait: float  # waiting for a connection
    due: float  # scheduled send time, from the phase's start
    done: float  # answered (or failed), from the phase's start
    connection: str  # "process.connection", in the order opened
    uses: int  # requests answered on that connection before this one


@dataclass
class Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    number: int  # in the order opened, per process
    uses: int = 0  # requests answered on it so far


def schedule(rate: float, seconds: float, arrivals: str = "constant", seed: int = 0) -> list[float]:
    """Send times (seconds from the phase's start) of ``rate`` requests a second for
    ``seconds``: evenly spaced, or with exponential gaps drawn from ``seed``."""
    if rate <= 0 or seconds <= 0:
        return []
    if arrivals == "constant":
        return [i / rate for i in range(math.floor(rate * seconds))]
    if arrivals != "poisson":
        raise ValueError(f"arrivals: constant or poisson, not {arrivals!r}")
    rng = random.Random(seed)
    out: list[float] = []
    t = rng.expovariate(rate)
    while t < seconds:
        out.append(t)
        t += rng.expovariate(rate)
    return out


class ConnectionPool:
    """Keep-alive connections to one server: idle ones are used in turn (first in, first out),
    a new one is opened when all are busy and fewer than ``limit`` are open, and beyond that a
    request waits for the first to come free (first come, first served)."""

    def __init__(self, host: str, port: int, limit: int) -> None:
        self.host, self.port, self.limit = host, port, limit
        self.idle: deque[Connection] = deque()
        self.waiters: deque[asyncio.Future[Connection | None]] = deque()
        self.open = 0
        self.peak = 0
        self.opened = 0

    async def _connect(self) -> Connection:
        self.open += 1
        self.peak = max(self.peak, self.open)
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self.open -= 1
            self._hand_on(None)
            raise
        self.opened += 1
        return Connection(reader, writer, self.opened)

    async def warm(self, n: int) -> None:
        for _ in range(min(n, self.limit)):
            self.idle.append(await self._connect())

    async def acquire(self) -> tuple[Connection, bool]:
        """A connection, and whether the request had to wait for one at the limit."""
        if self.idle:
            return self.idle.popleft(), False
        if self.open < self.limit:
            return await self._connect(), False
        waiter: asyncio.Future[Connection | None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        conn = await waiter
        if conn is None:  # one was closed: there is room to open another
            return (await self.acquire())[0], True
        return conn, True

    def release(self, conn: Connection, reusable: bool) -> None:
        if not reusable:
            conn.writer.close()
            self.open -= 1
            self._hand_on(None)
        elif not self._hand_on(conn):
            self.idle.append(conn)

    def _hand_on(self, conn: Connection | None) -> bool:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():  # a waiter whose request timed out is skipped
                waiter.set_result(conn)
                return True
        return False

    def close(self) -> None:
        while self.idle:
            self.idle.popleft().writer.close()


async def fetch(conn: Connection, request: bytes) -> tuple[int, bool]:
    """Send one HTTP/1.1 request and read its whole answer: (status, connection reusable)."""
    reader, writer = conn.reader, conn.writer
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length: int | None = None
    chunked = False
    keep = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection" and value == b"close":
            keep = False
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)  # the chunk and its CRLF; the last: CRLF only
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:  # the answer ends when the connection does
        await reader.read()
        keep = False
    conn.uses += 1
    return status, keep


@dataclass(frozen=True)
class Plan:
    """One generator process's share of a phase."""

    port: int
    token: str
    offsets: list[float]  # scheduled send times, seconds from the phase's start
    paths: list[str]
    labels: list[int]  # index into the phase's labels, per request
    start_at: float  # wall-clock time (time.time()) of the phase's start
    limit: int  # most connections this process opens
    warm: int  # connections opened before the start
    process: int  # its number among the phase's generator processes


async def _drive(plan: Plan) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    pool = ConnectionPool("127.0.0.1", plan.port, plan.limit)
    await pool.warm(plan.warm)
    head = (
        f"Host: 127.0.0.1:{plan.port}\r\nAuthorization: Token {plan.token}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()
    records: list[Record] = []
    failures: dict[str, int] = {}
    waited = 0

    async def one(due: float, path: str, label: int) -> None:
        nonlocal waited
        lag = loop.time() - due
        wait = 0.0
        status = SOCKET_ERROR
        number, uses = 0, 0
        try:
            async with asyncio.timeout(TIMEOUT_S):
                asked = loop.time()
                conn, at_limit = await pool.acquire()
                wait = loop.time() - asked
                waited += at_limit
                number, uses = conn.number, conn.uses
                reusable = False
                try:
                    status, reusable = await fetch(
                        conn, b"GET " + path.encode() + b" HTTP/1.1\r\n" + head
                    )
                finally:
                    pool.release(conn, reusable)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError, IndexError) as exc:  # fmt: skip
            failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
            status = SOCKET_ERROR
        done = loop.time()
        records.append(
            Record(
                label,
                status,
                done - due,
                lag,
                wait,
                due - start,
                done - start,
                f"{plan.process}.{number}",
                uses,
            )
        )

    start = loop.time() + max(0.0, plan.start_at - time.time())
    await asyncio.sleep(start - loop.time())
    cpu = time.process_time()
    tasks = []
    for offset, path, label in zip(plan.offsets, plan.paths, plan.labels, strict=True):
        due = start + offset
        if due > loop.time():
            await asyncio.sleep(due - loop.time())
        tasks.append(asyncio.create_task(one(due, path, label)))
    await asyncio.gather(*tasks)
    cpu = time.process_time() - cpu
    pool.close()
    return {
        "records": records,
        "failures": failures,
        "waited": waited,
        "peak": pool.peak,
        "opened": pool.opened,
        "cpu_s": cpu,
    }


def _process(plan: Plan) -> dict[str, Any]:
    return asyncio.run(_drive(plan))


def _pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted ``values`` (0 when there are none)."""
    if not values:
        return 0.0
    return values[max(0, math.ceil(q * len(values)) - 1)]


def _stats(records: list[Record]) -> dict[str, float]:
    ok = sorted(r.latency for r in records if 200 <= r.status < 300)
    lags = sorted(r.lag for r in records)
    waits = [r.wait for r in records]
    answered = [r.done for r in records if r.status != SOCKET_ERROR]
    window = max(answered) if answered else 0.0  # from the phase's start to the last answer
    return {
        "n": len(records),
        "ok": len(ok),
        "status_errors": sum(
            1 for r in records if r.status != SOCKET_ERROR and not 200 <= r.status < 300
        ),
        "socket_errors": sum(1 for r in records if r.status == SOCKET_ERROR),
        "rps": len(ok) / window if window else 0.0,
        "p50_ms": _pct(ok, 0.50) * 1000,
        "p95_ms": _pct(ok, 0.95) * 1000,
        "p99_ms": _pct(ok, 0.99) * 1000,
        "max_ms": (ok[-1] if ok else 0.0) * 1000,
        "lag_p50_ms": _pct(lags, 0.50) * 1000,
        "lag_p99_ms": _pct(lags, 0.99) * 1000,
        "lag_max_ms": (lags[-1] if lags else 0.0) * 1000,
        "wait_max_ms": max(waits, default=0.0) * 1000,
    }


@dataclass(frozen=True)
class Result:
    """A phase's figures: ``overall`` over all its requests (the keys of :func:`_stats` and
    ``target_rps``, ``waited``: requests that waited for a connection at the limit,
    ``connections``: the most open at once, summed over the processes, ``cpu_ms_generator``
    per request, ``behind``: 1 when the schedule lag's p99 exceeded :data:`LATE_MS`); the
    same per label; socket errors by kind; the slowest requests in full, for a stall's
    diagnosis."""

    overall: dict[str, float]
    per_label: dict[str, dict[str, float]]
    failures: dict[str, int]
    slowest: list[dict[str, Any]]


def run_open_loop(
    port: int,
    token: str,
    requests: Sequence[tuple[str, str]],
    rate: float,
    seconds: float,
    *,
    arrivals: str = "constant",
    seed: int = 0,
    processes: int = 1,
    limit: int = 64,
    warm: int = 16,
) -> Result:
    """Send ``rate`` requests a second for ``seconds``, the ``i``-th being ``requests[i %
    len(requests)]`` (a label and a path), from ``processes`` processes holding at most
    ``limit`` connections in all."""
    offsets = schedule(rate, seconds, arrivals, seed)
    names = sorted({label for label, _ in requests})
    index = {name: i for i, name in enumerate(names)}
    chosen = [requests[i % len(requests)] for i in range(len(offsets))]
    processes = max(1, min(processes, len(offsets) or 1))
    start_at = time.time() + 1.0 + 0.05 * warm
    plans = [
        Plan(
            port=port,
            token=token,
            offsets=offsets[k::processes],
            paths=[path for _, path in chosen[k::processes]],
            labels=[index[label] for label, _ in chosen[k::processes]],
            start_at=start_at,
            limit=max(1, limit // processes),
            warm=max(1, warm // processes),
            process=k,
        )
        for k in range(processes)
    ]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(_process, plans)
    records = [r for part in parts for r in part["records"]]
    overall = _stats(records)
    overall.update(
        target_rps=rate,
        waited=sum(p["waited"] for p in parts),
        connections=sum(p["peak"] for p in parts),
        cpu_ms_generator=sum(p["cpu_s"] for p in parts) / max(1, len(records)) * 1000,
        behind=float(overall["lag_p99_ms"] > LATE_MS),
    )
    failures: dict[str, int] = {}
    for part in parts:
        for kind, count in part["failures"].items():
            failures[kind] = failures.get(kind, 0) + count
    slowest = sorted(records, key=lambda r: r.latency)[-SLOWEST:]
    return Result(
        overall=overall,
        per_label={
            name: _stats([r for r in records if r.label == i]) for i, name in enumerate(names)
        },
        failures=failures,
        slowest=[{**r._asdict(), "label": names[r.label]} for r in reversed(slowest)],
    )
