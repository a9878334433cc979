"""Run the benchmarks: ``python -m benchmarks [--scales 1,10] [--seconds 5]``.

For each scale: a fresh PostgreSQL database, generated data, the portal on gunicorn
(production settings, 2 workers), then each page for a few seconds with the load generator.
Every page is reported next to a floor measured on the same server in the same run (a trivial
view, /robots.txt) as a ratio. Results go to BENCHMARKS.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from .load import Result, run

BASE = Path(__file__).resolve().parent.parent
PY = sys.executable

# name, user kind (cookie persona or None), path
SCENARIOS: list[tuple[str, str | None, str]] = [
    ("Landing page", None, "/"),
    ("Accessibility statement", None, "/toegankelijkheid"),
    ("Programmes API", None, "/api/v1/programmes"),
    ("Dashboard", "municipal editor", "/"),
    ("Own organisation", "municipal editor", "/organisaties/gemeente-gm0344/"),
    ("Organisations list", "municipal editor", "/organisaties/"),
    ("Me API", "municipal editor", "/api/v1/me"),
    ("Dashboard", "supplier", "/"),
    ("Dashboard", "project team", "/"),
    ("Organisations list, page 1", "project team", "/organisaties/"),
    ("Municipalities, page 5", "project team", "/organisaties/?kind=municipality&pagina=5"),
    ("Organisation detail", "project team", "/organisaties/gemeente-gm0344/"),
    ("Organisations API", "project team", "/api/v1/organisations"),
    (
        "Participation overview (342 municipalities)",
        "project team",
        "/programmas/gt-hardware-werkplek/deelnemers",
    ),
    ("Demand inventory page (8 categories × 4 years)", "municipal editor", "{demand}"),
    ("Demand overview", "project team", "/programmas/gt-hardware-werkplek/inventarisatie"),
]
FLOOR = ("Floor: trivial view", None, "/robots.txt")


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
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY="bench-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="False",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(BASE / "var" / "bench-static"),
        LOG_LEVEL="WARNING",
    )
    return env


def wait_for(port: int, path: str = "/robots.txt", timeout: float = 30) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not come up")


def bench_scale(scale: int, seconds: float, concurrency: int) -> tuple[dict, list[Result], Result]:
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    database_url = urllib.parse.urlparse(base_url)._replace(path=f"/portal_bench_{scale}").geturl()
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
        port = free_port()
        server = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
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
                result = run(
                    f"{name} ({persona or 'anonymous'})",
                    "127.0.0.1",
                    port,
                    path,
                    cookie,
                    seconds,
                    concurrency,
                )
                results.append(result)
                print(
                    f"  scale {scale}: {result.name}: p50 {result.p50_ms:.1f} ms, "
                    f"p95 {result.p95_ms:.1f} ms, {result.rps:.0f} req/s, "
                    f"{result.errors} errors",
                    flush=True,
                )
            floor_after = run(FLOOR[0], "127.0.0.1", port, FLOOR[2], None, seconds, concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)
        floor = floor_before if floor_before.rps >= floor_after.rps else floor_after
        # In-process, after the pages (it adds snapshots) and before the Excel benchmark (which
        # adds categories).
        aggregation_out = BASE / "var" / f"bench-aggregation-{scale}.json"
        subprocess.run(
            [PY, "-m", "benchmarks.aggregation", "--out", str(aggregation_out)],
            cwd=BASE,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        data["aggregation"] = json.loads(aggregation_out.read_text())
        # In-process, after the pages: it adds categories the pages must not see.
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
        drop_database(database_url)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    with psycopg.connect(
        admin_url(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"))[0]
    ) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()}; "
        f"PostgreSQL {pg}; {platform.system()} {platform.release()}"
    )


def write_report(
    runs: list[tuple[int, dict, list[Result], Result]], seconds: float, concurrency: int
) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        f"- Machine: {machine()}.",
        "- Server: gunicorn, 2 sync workers, production settings (`PORTAL_ENV=production`, "
        "DEBUG off), PostgreSQL on loopback.",
        f"- Load: `benchmarks/load.py`, a closed loop of {concurrency} concurrent keep-alive "
        f"connections per page for {seconds:g} s, on the same machine (so client and server "
        "share the 2 cores).",
        "- Floor: `/robots.txt`, a trivial Django view on the same server in the same run "
        "(best of a measurement before and after the pages). *Ratio* = page p50 / floor p50: "
        "what the page costs beyond the framework's own request handling.",
        "- Command: `make bench` (= `python -m benchmarks --scales 1,10`).",
        "",
    ]
    for scale, data, results, floor in runs:
        counts = data["counts"]
        lines += [
            f"## Scale {scale}× ({counts['municipalities']} municipalities, "
            f"{counts['organisations']} organisations, {counts['users']} users, "
            f"{counts['memberships']} memberships, "
            f"{counts.get('demand lines', 0)} submitted demand lines; "
            f"generated in {data['generate_seconds']:.0f} s)",
            "",
            "| page (user kind) | path | p50 ms | p95 ms | req/s | ratio p50 / floor | errors |",
            "|---|---|---:|---:|---:|---:|---:|",
            f"| **{floor.name}** | `{floor.path}` | {floor.p50_ms:.1f} | {floor.p95_ms:.1f} | "
            f"{floor.rps:.0f} | 1.0 | {floor.errors} |",
        ]
        for r in results:
            ratio = r.p50_ms / floor.p50_ms if floor.p50_ms else 0
            lines.append(
                f"| {r.name} | `{r.path}` | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.rps:.0f} | "
                f"{ratio:.1f} | {r.errors} |"
            )
        lines.append("")
        if data.get("aggregation"):
            lines += aggregation_report(data["aggregation"])
        if data.get("excel"):
            lines += excel_report(data["excel"])
    lines += [
        "Demand: every approved participant has a submitted version with every device and "
        "peripheral category × 4 contract years for each municipality it covers. PDF rows "
        "are added by the issues that build them.",
        "",
    ]
    (BASE / "BENCHMARKS.md").write_text("\n".join(lines))
    print(f"wrote {BASE / 'BENCHMARKS.md'}")


def aggregation_report(agg: dict) -> list[str]:
    """The aggregation benchmark (benchmarks/aggregation.py) as a small table."""
    return [
        f"Aggregation of programme gt-hardware-werkplek: {agg['lines']} demand lines of "
        f"{agg['versions']} included versions into {agg['totals']} grouped totals and "
        f"{agg['lot_totals']} lot totals, in process, {agg['runs']} runs after one warm-up.",
        "",
        "| step | rows aggregated | median ms | p95 ms |",
        "|---|---:|---:|---:|",
        f"| Aggregation run (`aggregation_run`: snapshot, grouped and lot totals) | "
        f"{agg['lines']} | {agg['aggregation']['median_ms']:.1f} | "
        f"{agg['aggregation']['p95_ms']:.1f} |",
        f"| **Floor: plain SQL `SUM(quantity) … GROUP BY category_id, year` over the same "
        f"rows** | {agg['lines']} | {agg['floor']['median_ms']:.1f} | "
        f"{agg['floor']['p95_ms']:.1f} |",
        "",
        f"Ratio aggregation / floor (medians): {agg['ratio']:.1f}.",
        "",
    ]


def excel_report(excel: dict) -> list[str]:
    """The Excel upload benchmark (benchmarks/excel.py) as a small table."""
    rows = [
        ("Parse and validate (`parse_demand_workbook`)", excel["parse"]),
        ("Save draft (`demand_save_draft`)", excel["save"]),
        ("**Upload total**", excel["total"]),
        ("**Floor: openpyxl reads every cell of the same file**", excel["floor"]),
    ]
    lines = [
        f"Excel upload of a demand inventory: {excel['lines']} lines (3 municipalities × 40 "
        f"categories × 4 years), {excel['size_kb']:.0f} KB, in process, {excel['runs']} runs "
        "after one warm-up.",
        "",
        "| step | median ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {s['median_ms']:.1f} | {s['p95_ms']:.1f} |" for name, s in rows]
    lines += ["", f"Ratio upload total / floor (medians): {excel['ratio']:.1f}.", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    runs = []
    for scale in (int(s) for s in args.scales.split(",")):
        print(f"scale {scale}: generating data and starting gunicorn", flush=True)
        data, results, floor = bench_scale(scale, args.seconds, args.concurrency)
        runs.append((scale, data, results, floor))
    errors = sum(r.errors for _, _, results, _ in runs for r in results)
    write_report(runs, args.seconds, args.concurrency)
    if errors:
        sys.exit(f"{errors} requests failed: see BENCHMARKS.md")


if __name__ == "__main__":
    main()
