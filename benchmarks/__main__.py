"""Run the benchmarks: ``python -m benchmarks [--scales 1,10] [--seconds 5]``.

For each scale: a fresh PostgreSQL database, generated data, the portal on gunicorn
(production settings, 2 workers), then each page for a few seconds with the load generator.
Every page is reported next to a floor measured on the same server in the same run (a trivial
view, /robots.txt) as a ratio, with its SQL queries counted in process (benchmarks/queries.py).
Then, in process: the anonymised consultation report (benchmarks/report.py), the aggregation
(benchmarks/aggregation.py) and the Excel upload (benchmarks/excel.py), each next to a floor of
its own. Results go to BENCHMARKS.md.

``--database-prefix`` names the databases (``<prefix>_<scale>``, default ``portal_bench``;
created and dropped by the run), ``--only`` runs the pages whose name contains one of the
comma-separated words, ``--report-runs`` sets the report's runs per scale."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from benchmarks.load import Result, run

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
        "Participation overview (every municipality)",
        "project team",
        "/programmas/gt-hardware-werkplek/deelnemers",
    ),
    ("Demand inventory page (8 categories × 4 years)", "municipal editor", "{demand}"),
    ("Demand overview", "project team", "/programmas/gt-hardware-werkplek/inventarisatie"),
    # The market consultation (benchmarks/generate_consultation.py): the open one, and the
    # closed copy with every open answer reviewed.
    ("Consultation page (published Q&A, 2 documents)", None, "/marktconsultaties/{consultation}"),
    (
        "Consultation page (published Q&A, 2 documents)",
        "supplier",
        "/marktconsultaties/{consultation}",
    ),
    (
        "Consultation: own answers (25 questions, submitted)",
        "supplier",
        "/marktconsultaties/{consultation}/antwoorden",
    ),
    (
        "Consultation: own and published questions",
        "supplier",
        "/marktconsultaties/{consultation}/vragen",
    ),
    ("Consultation: responses", "project team", "/marktconsultaties/{consultation}/reacties"),
    (
        "Consultation: clarification questions",
        "project team",
        "/marktconsultaties/{consultation}/vragen/beheer",
    ),
    (
        "Consultation: talk slots",
        "project team",
        "/marktconsultaties/{consultation}/gesprekken/beheer",
    ),
    (
        "Consultation management (closed, reviewed)",
        "project team",
        "/marktconsultaties/{closed_consultation}/beheer",
    ),
    ("Review overview", "project team", "/marktconsultaties/{closed_consultation}/beoordeling"),
    (
        "Review of a multiple-choice question",
        "project team",
        "/marktconsultaties/{closed_consultation}/beoordeling/vragen/{multiple_choice_key}",
    ),
    (
        "Review of a long-text question",
        "project team",
        "/marktconsultaties/{closed_consultation}/beoordeling/vragen/{long_text_key}",
    ),
    (
        "Review: open answers to anonymise",
        "project team",
        "/marktconsultaties/{closed_consultation}/beoordeling/anonimiseren",
    ),
    (
        "Review: Excel export of all answers",
        "project team",
        "/marktconsultaties/{closed_consultation}/beoordeling/export.xlsx",
    ),
    (
        "Clarifications API (published)",
        "supplier",
        "/api/v1/consultations/{consultation}/clarifications",
    ),
    ("Responses API", "project team", "/api/v1/consultations/{consultation}/responses"),
    ("Talk slots API", "project team", "/api/v1/consultations/{consultation}/talk-slots"),
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


def bench_scale(
    scale: int,
    seconds: float,
    concurrency: int,
    *,
    database_prefix: str = "portal_bench",
    only: str = "",
    report_runs: int = 5,
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
        data["personas"] = [persona for _, persona, _ in scenarios]
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
        report_out = BASE / "var" / f"bench-report-{scale}.json"
        subprocess.run(
            [PY, "-m", "benchmarks.report", "--runs", str(report_runs), "--out", str(report_out)],
            cwd=BASE,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        data["report"] = json.loads(report_out.read_text())
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
        shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)


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
        "- Queries: the SQL queries of one request of the page (after a first one), counted in "
        "process with Django's test client on the same settings and data "
        "(`benchmarks/queries.py`).",
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
        ]
        if "consultation suppliers" in counts:
            lines += [
                f"Market consultation (open, and a closed copy with the same responses): "
                f"{counts['consultation suppliers']} suppliers answered "
                f"({counts['consultation submitted']} submitted, the others drafts; "
                f"{counts['consultation answers']} answers), "
                f"{counts['consultation clarifications']} clarification questions, "
                f"{counts['consultation talk slots']} talk slots; the closed copy has "
                f"{counts['consultation reviews']} reviewed open answers. Consultation data "
                f"generated in {counts['consultation seconds']:.1f} s.",
                "",
            ]
        lines += [
            "| page (user kind) | path | p50 ms | p95 ms | req/s | ratio p50 / floor | queries "
            "| errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
            f"| **{floor.name}** | `{floor.path}` | {floor.p50_ms:.1f} | {floor.p95_ms:.1f} | "
            f"{floor.rps:.0f} | 1.0 | {queries_of(data, None, floor.path)} | {floor.errors} |",
        ]
        personas = data.get("personas") or [None] * len(results)
        for r, persona in zip(results, personas, strict=True):
            ratio = r.p50_ms / floor.p50_ms if floor.p50_ms else 0
            lines.append(
                f"| {r.name} | `{r.path}` | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.rps:.0f} | "
                f"{ratio:.1f} | {queries_of(data, persona, r.path)} | {r.errors} |"
            )
        lines.append("")
        if data.get("report"):
            lines += report_report(data["report"])
        if data.get("aggregation"):
            lines += aggregation_report(data["aggregation"])
        if data.get("excel"):
            lines += excel_report(data["excel"])
    lines += [
        "Demand: every approved participant has a submitted version with every device and "
        "peripheral category × 4 contract years for each municipality it covers.",
        "",
        "Market consultation: 25 questions in 4 sections (every question type; a price per "
        "item for the 8 device and peripheral categories); 60 responding suppliers per 1× "
        "(each with a KvK profile and 1–3 users), one in eight still a draft; 40 clarification "
        "questions per 1× (three in four published); one 30-minute talk slot per responding "
        "supplier, nine in ten booked. The closed copy has the same responses and a review of "
        "every open answer of a submitted response (85% included with a text for the report). "
        "The supplier persona's response is submitted; the review pages are of the closed copy.",
        "",
    ]
    (BASE / "BENCHMARKS.md").write_text("\n".join(lines))
    print(f"wrote {BASE / 'BENCHMARKS.md'}")


def queries_of(data: dict, persona: str | None, path: str) -> str:
    row = data.get("queries", {}).get(f"{persona} {path}")
    return str(row["queries"]) if row else "–"


def report_report(report: dict) -> list[str]:
    """The anonymised-report benchmark (benchmarks/report.py) as a small table."""
    rows = [
        (
            "Request (`report_request`: review check, disclosure check, pseudonyms)",
            report["request"],
            report["request_queries"],
        ),
        (
            "Render (`report_render`: context, HTML, WeasyPrint, store)",
            report["render"],
            report["render_queries"],
        ),
        (
            "… of which the context (`report_context`, with the disclosure check; last run)",
            report["context"],
            "",
        ),
        ("… of which the HTML (`render_html`; last run)", report["html"], ""),
        ("… of which WeasyPrint (last run)", report["weasyprint"], ""),
        ("**Request + render**", report["total"], ""),
        (
            f"**Floor: `render_pdf` of the bare layout (`pdf/base.html`, "
            f"{report['floor_pages']} page, {report['floor_kb']:.0f} KB)**",
            report["floor"],
            "",
        ),
    ]
    lines = [
        f"Anonymised report of the closed consultation, in process, {report['runs']} runs "
        f"(each in a transaction that is rolled back): {report['responses']} submitted "
        f"responses, {report['answers']} answers, {report['reviews']} reviewed open answers "
        f"({report['included']} included) → a PDF of {report['pages']} pages, "
        f"{report['pdf_kb']:.0f} KB.",
        "",
        "| step | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | {s['median_ms']:.1f} | "
        f"{'–' if s['p95_ms'] is None else format(s['p95_ms'], '.1f')} | {queries} |"
        for name, s, queries in rows
    ]
    lines += ["", f"Ratio request + render / floor (medians): {report['ratio']:.1f}.", ""]
    return lines


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
    parser.add_argument(
        "--database-prefix",
        default="portal_bench",
        help="the databases are <prefix>_<scale>, dropped afterwards",
    )
    parser.add_argument(
        "--only", default="", help="only pages whose name contains one of these (comma-separated)"
    )
    parser.add_argument(
        "--report-runs",
        default="5,3",
        help="runs of the report benchmark per scale (the last value for further scales)",
    )
    args = parser.parse_args()
    report_runs = [int(n) for n in args.report_runs.split(",")]
    runs = []
    for n, scale in enumerate(int(s) for s in args.scales.split(",")):
        print(f"scale {scale}: generating data and starting gunicorn", flush=True)
        data, results, floor = bench_scale(
            scale,
            args.seconds,
            args.concurrency,
            database_prefix=args.database_prefix,
            only=args.only,
            report_runs=report_runs[min(n, len(report_runs) - 1)],
        )
        runs.append((scale, data, results, floor))
    errors = sum(r.errors for _, _, results, _ in runs for r in results)
    write_report(runs, args.seconds, args.concurrency)
    if errors:
        sys.exit(f"{errors} requests failed: see BENCHMARKS.md")


if __name__ == "__main__":
    main()
