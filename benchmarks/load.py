"""A small closed-loop load generator on loopback: C threads, each with its own keep-alive
connection, request one path (``run``) or take turns over a few requests (``run_groups``, several
groups of clients at once) for a fixed time; latencies per request."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    # The floor's p50 measured on the same server just before this page (0: not measured).
    floor_p50_ms: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def floor_of(self, run_floor: Result) -> float:
        """The floor this page is compared with: the one measured just before it, else the
        run's floor."""
        return self.floor_p50_ms or run_floor.p50_ms


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None


@dataclass
class Group:
    """``clients`` concurrent clients, each taking ``requests`` in turn (client n starts at
    request n), at most ``max_requests`` each. ``check`` (status, body) → whether the answer is
    the expected one."""

    name: str
    clients: int
    requests: list[Request]
    max_requests: int
    check: Callable[[int, bytes], bool] = lambda status, _body: status == 200


@dataclass
class Sample:
    """What one group saw: the latency and status of every answered request, how many answers
    passed the group's check, and the requests that got no answer (connection error, timeout)."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    passed: int = 0
    unanswered: int = 0
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.unanswered

    @property
    def errors(self) -> int:
        """Answers that failed the check, and requests without an answer."""
        return len(self.latencies) - self.passed + self.unanswered

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        if q == 0.5:
            return statistics.median(ordered) * 1000
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def run_groups(host: str, port: int, groups: list[Group], seconds: float) -> dict[str, Sample]:
    """Every client of every group at once, in a closed loop until ``seconds`` have passed (a
    request under way is finished, within the 30 s timeout of a connection)."""
    samples = {group.name: Sample() for group in groups}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(group: Group, offset: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine = Sample()
        n = 0
        while time.perf_counter() < deadline and n < group.max_requests:
            request = group.requests[(offset + n) % len(group.requests)]
            n += 1
            started = time.perf_counter()
            try:
                conn.request(request.method, request.path, request.body, request.headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                mine.unanswered += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.latencies.append(time.perf_counter() - started)
            mine.statuses[response.status] += 1
            mine.passed += group.check(response.status, body)
        conn.close()
        with lock:
            sample = samples[group.name]
            sample.latencies.extend(mine.latencies)
            sample.statuses.update(mine.statuses)
            sample.passed += mine.passed
            sample.unanswered += mine.unanswered

    started = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(group, n))
        for group in groups
        for n in range(group.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for sample in samples.values():
        sample.seconds = elapsed
    return samples


def headers_for(host: str, port: int, cookie: str | None) -> dict[str, str]:
    headers = {"Host": f"{host}:{port}", "Accept-Language": "nl"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def run(
    name: str,
    host: str,
    port: int,
    path: str,
    cookie: str | None,
    seconds: float,
    concurrency: int,
    max_requests: int = 1_000_000,
) -> Result:
    request = Request("GET", path, headers_for(host, port, cookie))
    group = Group(name, concurrency, [request], max_requests)
    sample = run_groups(host, port, [group], seconds)[name]
    return Result(
        name=name,
        path=path,
        requests=len(sample.latencies),
        errors=sample.errors,
        seconds=sample.seconds,
        p50_ms=sample.percentile_ms(0.5),
        p95_ms=sample.percentile_ms(0.95),
    )
