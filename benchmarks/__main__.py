"""Run the benchmarks: ``python -m benchmarks [--scales 1,10] [--seconds 5]``.

For each scale: a fresh PostgreSQL database, generated data, the tender's document set rendered
as the worker renders it next to headless Chromium printing the same HTML
(benchmarks/documents.py) and the tender published, the portal on gunicorn (production
settings, 2 workers), then each page for a few seconds with the load generator.
Every page is reported next to a floor measured on the same server in the same run (a trivial
view, /robots.txt) as a ratio, with its SQL queries counted in process (benchmarks/queries.py).
On the same server: 20 clients on ordinary pages, alone and next to 2 clients uploading a
hostile workbook (benchmarks/bounded.py); the weight of the home page and of a signed-in page in
headless Chromium (benchmarks/weight.py); 20 users on mixed journeys for ``--journey-seconds``
(60 s; benchmarks/journeys.py).
Then, in process: the anonymised consultation report (benchmarks/report.py), the aggregation
(benchmarks/aggregation.py), the review export (benchmarks/exports.py) and the Excel upload
(benchmarks/excel.py), each next to a floor of its own. Results go to BENCHMARKS.md.

``--database-prefix`` names the databases (``<prefix>_<scale>``, default ``portal_bench``;
created and dropped by the run unless ``--keep-database``), ``--only`` runs the pages whose
name contains one of the comma-separated words, ``--report-runs`` sets the report's runs per
scale.

``--skip`` leaves parts out (comma-separated): ``documents`` (the tender's documents are
finished with the bare layout as their content instead of being rendered and printed by
Chromium, benchmarks/documents_placeholder.py), ``bounded`` (the hostile uploads), ``weight``,
``journeys``, ``queries`` (the in-process query count of each page), ``report``,
``aggregation``, ``exports``, ``excel``. ``--only`` skips none of these by itself. ``--out``
writes the Markdown elsewhere than BENCHMARKS.md (for a partial run)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.markdown import write_report
from benchmarks.pages import SKIPPABLE, bench_scale


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
    parser.add_argument(
        "--journey-seconds",
        type=float,
        default=60,
        help="duration of the mixed load of 20 users (0: skip it)",
    )
    parser.add_argument(
        "--think-seconds",
        type=float,
        default=1.0,
        help="mean pause of a user of the mixed load between steps",
    )
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="keep the databases (and their media) after the run, e.g. to profile on them",
    )
    parser.add_argument(
        "--skip",
        default="",
        help=f"leave out these parts (comma-separated): {', '.join(SKIPPABLE)}",
    )
    parser.add_argument("--out", default="", help="write the results here, not BENCHMARKS.md")
    args = parser.parse_args()
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    unknown = skip - set(SKIPPABLE)
    if unknown:
        parser.error(f"--skip: unknown parts {sorted(unknown)}")
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
            journey_seconds=args.journey_seconds,
            think=args.think_seconds,
            keep_database=args.keep_database,
            skip=skip,
        )
        runs.append((scale, data, results, floor))
    errors = sum(r.errors for _, _, results, _ in runs for r in results)
    errors += sum(data.get("bounded", {}).get("errors", 0) for _, data, _, _ in runs)
    errors += sum(data.get("journeys", {}).get("errors", 0) for _, data, _, _ in runs)
    write_report(runs, args.seconds, args.concurrency, Path(args.out) if args.out else None)
    if errors:
        sys.exit(f"{errors} requests failed: see BENCHMARKS.md")


if __name__ == "__main__":
    main()
