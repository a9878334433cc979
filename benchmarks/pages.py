"""The page benchmark of ``python -m benchmarks``, one scale at a time: a fresh PostgreSQL
database, generated data (benchmarks/generate.py), the portal on gunicorn (production settings,
2 workers), then each page of ``SCENARIOS`` for a few seconds with the load generator
(benchmarks/load.py) next to a floor (a trivial view, /robots.txt), and ordinary pages next to
hostile uploads (benchmarks/bounded.py), the weight of pages in a browser
(benchmarks/weight.py) and 20 users on mixed journeys (benchmarks/journeys.py). Before the
pages the tender's document set is rendered and printed by Chromium (benchmarks/documents.py)
and the tender published (benchmarks/generate_tender.py); after them, in separate processes, the
SQL queries of each page (benchmarks/queries.py), the anonymised report
(benchmarks/report.py), the aggregation (benchmarks/aggregation.py), the review export
(benchmarks/exports.py) and the Excel upload (benchmarks/excel.py)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psycopg

from benchmarks.bounded import bench_bounded, summary_line
from benchmarks.documents_report import documents_line
from benchmarks.journeys import bench_journeys
from benchmarks.journeys import summary_line as journeys_line
from benchmarks.load import Result, run
from benchmarks.scenarios import FLOOR, SCENARIOS
from benchmarks.weight import bench_weight
from benchmarks.weight import summary_line as weight_line

BASE = Path(__file__).resolve().parent.parent
PY = sys.executable
# How long the floor is measured again just before each page (about 1,000 requests).
ADJACENT_FLOOR_SECONDS = 1.5

# Parts of a run that ``--skip`` can leave out.
SKIPPABLE = (
    "documents",
    "bounded",
    "weight",
    "journeys",
    "queries",
    "report",
    "aggregation",
    "exports",
    "excel",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def admin_url(database_url: str) -> tuple[str, str]:
    parsed = urllib.parse.urlparse(database_url)
    return parsed._replace(path="/postgres").geturl(), parsed.path.lstrip("/")


def recreate_database(database_url: str) -> None:
    admin, name = admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    admin, name = admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    name = admin_url(database_url)[1]
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY="bench-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="False",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(BASE / "var" / "bench-static"),
        # Uploaded files of the generated data (consultation documents, report PDFs), removed
        # with the database.
        MEDIA_ROOT=str(BASE / "var" / "bench-media" / name),
        LOG_LEVEL="WARNING",
        # The load test measures the server, not the API's rate limits.
        API_THROTTLE_ANON="100000000/min",
        API_THROTTLE_USER="100000000/min",
        API_THROTTLE_WRITE="100000000/min",
    )
    return env


def wait_for(port: int, path: str = "/robots.txt", timeout: float = 120) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


def bench_scale(
    scale: int,
    seconds: float,
    concurrency: int,
    *,
    database_prefix: str = "portal_bench",
    only: str = "",
    report_runs: int = 5,
    journey_seconds: float = 60,
    think: float = 1.0,
    keep_database: bool = False,
    skip: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict, list[Result], Result]:
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    database_url = (
        urllib.parse.urlparse(base_url)._replace(path=f"/{database_prefix}_{scale}").geturl()
    )
    env = bench_env(database_url)
    recreate_database(database_url)
    try:
        subprocess.run(
            [PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE, env=env, check=True
        )
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=BASE,
            env=env,
            check=True,
        )
        out = BASE / "var" / f"bench-{scale}.json"
        started = time.perf_counter()
        subprocess.run(
            [PY, "-m", "benchmarks.generate", "--scale", str(scale), "--out", str(out)],
            cwd=BASE,
            env=env,
            check=True,
        )
        data = json.loads(out.read_text())
        data["generate_seconds"] = time.perf_counter() - started
        # Before the pages: the tender's document set, rendered as the worker would (and next
        # to Chromium), so that the tender can then be published with its documents.
        documents_out = BASE / "var" / f"bench-documents-{scale}.json"
        if "documents" in skip:
            subprocess.run(
                [PY, "-m", "benchmarks.documents_placeholder"], cwd=BASE, env=env, check=True
            )
        else:
            subprocess.run(
                [PY, "-m", "benchmarks.documents", "--out", str(documents_out)],
                cwd=BASE,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            data["documents"] = json.loads(documents_out.read_text())
        published_out = BASE / "var" / f"bench-published-{scale}.json"
        subprocess.run(
            [PY, "-m", "benchmarks.generate_tender", "--publish", "--out", str(published_out)],
            cwd=BASE,
            env=env,
            check=True,
        )
        published = json.loads(published_out.read_text())
        data.setdefault("paths", {}).update(published.pop("paths", {}))
        data["counts"].update(published)
        if "documents" in data:
            print(f"  scale {scale}: documents: {documents_line(data['documents'])}", flush=True)
        # Statistics for the planner, as autovacuum keeps them in a running database (without
        # them PostgreSQL plans the freshly loaded tables as nearly empty).
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("ANALYZE")
        port = free_port()
        server = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=BASE,
            env=env,
        )
        try:
            wait_for(port)
            cookies = data["cookies"]
            # Warm up each path once (first-request costs are not what we measure).
            scenarios = [
                (name, persona, path.format(**data.get("paths", {})))
                for name, persona, path in SCENARIOS
                if not only
                or any(
                    part.strip().lower() in f"{name} ({persona or 'anonymous'})".lower()
                    for part in only.split(",")
                )
            ]
            for _, persona, path in [FLOOR, *scenarios]:
                run(
                    "warm-up",
                    "127.0.0.1",
                    port,
                    path,
                    cookies.get(persona) if persona else None,
                    seconds=1,
                    concurrency=1,
                    max_requests=3,
                )
            floor_before = run(FLOOR[0], "127.0.0.1", port, FLOOR[2], None, seconds, concurrency)
            results = []
            for name, persona, path in scenarios:
                cookie = cookies.get(persona) if persona else None
                # The floor again, just before the page: a machine whose speed drifts during
                # the run (a shared host) then moves the page and its floor together.
                adjacent = run(
                    FLOOR[0],
                    "127.0.0.1",
                    port,
                    FLOOR[2],
                    None,
                    min(seconds, ADJACENT_FLOOR_SECONDS),
                    concurrency,
                )
                result = run(
                    f"{name} ({persona or 'anonymous'})",
                    "127.0.0.1",
                    port,
                    path,
                    cookie,
                    seconds,
                    concurrency,
                )
                result.floor_p50_ms = adjacent.p50_ms
                results.append(result)
                print(
                    f"  scale {scale}: {result.name}: p50 {result.p50_ms:.1f} ms, "
                    f"p95 {result.p95_ms:.1f} ms, {result.rps:.0f} req/s, "
                    f"{result.errors} errors (floor just before: {adjacent.p50_ms:.2f} ms)",
                    flush=True,
                )
            floor_after = run(FLOOR[0], "127.0.0.1", port, FLOOR[2], None, seconds, concurrency)
            # Bounded input: ordinary pages with and without hostile uploads next to them.
            if "bounded" not in skip:
                data["bounded"] = bench_bounded(
                    "127.0.0.1", port, cookies, data.get("paths", {}), seconds
                )
                print(
                    f"  scale {scale}: bounded input: {summary_line(data['bounded'])}", flush=True
                )
            # The weight of pages as a browser loads them, then 20 users on mixed journeys.
            if "weight" not in skip:
                data["weight"] = bench_weight("127.0.0.1", port, cookies)
                print(f"  scale {scale}: weight: {weight_line(data['weight'])}", flush=True)
            if journey_seconds and "journeys" not in skip:
                data["journeys"] = bench_journeys(
                    "127.0.0.1", port, cookies, data.get("paths", {}), journey_seconds, think
                )
                print(f"  scale {scale}: load: {journeys_line(data['journeys'])}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
        floor = floor_before if floor_before.rps >= floor_after.rps else floor_after
        data["personas"] = [persona for _, persona, _ in scenarios]
        if "queries" in skip:
            return data, results, floor
        # In-process: the SQL queries of one request of each page (and its status).
        scenarios_file = BASE / "var" / f"bench-scenarios-{scale}.json"
        scenarios_file.write_text(
            json.dumps({"cookies": cookies, "scenarios": [list(FLOOR), *scenarios]})
        )
        queries_out = BASE / "var" / f"bench-queries-{scale}.json"
        subprocess.run(
            [
                PY,
                "-m",
                "benchmarks.queries",
                "--scenarios",
                str(scenarios_file),
                "--out",
                str(queries_out),
            ],
            cwd=BASE,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        data["queries"] = {
            f"{row['persona']} {row['path']}": row for row in json.loads(queries_out.read_text())
        }
        # In-process: the anonymised report of the closed consultation (each run is rolled
        # back, so it changes nothing the later benchmarks see).
        if "report" not in skip:
            report_out = BASE / "var" / f"bench-report-{scale}.json"
            subprocess.run(
                [PY, "-m", "benchmarks.report", "--runs", str(report_runs)]
                + ["--out", str(report_out)],
                cwd=BASE,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            data["report"] = json.loads(report_out.read_text())
        # In-process, after the pages (it adds snapshots) and before the Excel benchmark (which
        # adds categories).
        if "aggregation" not in skip:
            aggregation_out = BASE / "var" / f"bench-aggregation-{scale}.json"
            subprocess.run(
                [PY, "-m", "benchmarks.aggregation", "--out", str(aggregation_out)],
                cwd=BASE,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            data["aggregation"] = json.loads(aggregation_out.read_text())
        # In-process: the review export next to openpyxl's write-only floor.
        if "exports" not in skip:
            exports_out = BASE / "var" / f"bench-exports-{scale}.json"
            subprocess.run(
                [PY, "-m", "benchmarks.exports", "--out", str(exports_out)],
                cwd=BASE,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            data["exports"] = json.loads(exports_out.read_text())
        # In-process, after the pages: it adds categories the pages must not see.
        if "excel" not in skip:
            excel_out = BASE / "var" / f"bench-excel-{scale}.json"
            subprocess.run(
                [PY, "-m", "benchmarks.excel", "--out", str(excel_out)],
                cwd=BASE,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            data["excel"] = json.loads(excel_out.read_text())
        return data, results, floor
    finally:
        if not keep_database:
            drop_database(database_url)
            shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)
