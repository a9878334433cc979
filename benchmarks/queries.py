"""Request each benchmark page once in process (Django's test client, the same settings and
database as the server) and count its SQL queries, so BENCHMARKS.md can show them next to the
timings. Also checks what the load generator cannot: the status and that there is a body.

``python -m benchmarks.queries --scenarios scenarios.json [--out result.json]``, where the
input is ``{"cookies": {persona: "name=value"}, "scenarios": [[name, persona, path], ...]}``
(written by ``python -m benchmarks``). The output lists, per scenario, the status, the size of
the body and the number of queries of the second request (the first warms caches)."""

from __future__ import annotations

import argparse
import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(scenarios: list, cookies: dict[str, str]) -> list[dict]:
    results = []
    for name, persona, path in scenarios:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="nl")
        if persona:
            key, _, value = cookies[persona].partition("=")
            client.cookies[key] = value
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        results.append(
            {
                "name": name,
                "persona": persona,
                "path": path,
                "status": response.status_code,
                "bytes": len(body),
                "queries": len(queries.captured_queries),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", required=True)
    parser.add_argument("--out")
    args = parser.parse_args()
    with open(args.scenarios) as handle:
        spec = json.load(handle)
    text = json.dumps(count(spec["scenarios"], spec["cookies"]), indent=2)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)
    print(text)


if __name__ == "__main__":
    main()
