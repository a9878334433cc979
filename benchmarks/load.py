"""A small closed-loop load generator on loopback: C threads, each with its own keep-alive
connection, request one path for a fixed time; latencies per request."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


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
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"Host": f"{host}:{port}", "Accept-Language": "nl"}
    if cookie:
        headers["Cookie"] = cookie

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < deadline and len(mine) < max_requests:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return Result(
        name=name,
        path=path,
        requests=len(latencies),
        errors=errors[0],
        seconds=elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p95_ms=p95 * 1000,
    )
