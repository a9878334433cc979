"""Mixed load on the page benchmark's gunicorn server (benchmarks/pages.py, production settings):
20 concurrent users for a fixed time (60 s by default), each on a journey of its own kind:

- anonymous visitors read the public pages (landing page, consultation, tender, statement);
- municipal editors, suppliers and project-team members read the pages of their kind;
- API clients (the portal's API authenticates with the session) read the API's lists;
- one municipal editor saves drafts of the demand inventory: the form is read, one quantity
  changed and the form posted with its CSRF token and revision (a 302 back to the form);
- another session of that editor uploads the inventory's own downloaded workbook (the
  review page, 200; nothing is taken over, so the drafts do not conflict with it).

Users think between steps (a pause of 0.5–1.5 × ``think`` seconds, 1 s by default, drawn from a
seeded generator; not counted in the latencies): 20 users, not 20 requests at every moment.
``think=0`` makes it a closed loop of 20 clients without pauses (a stress test).

Every answer is checked (status, and for the upload the review page's text); an answer that
fails the check, or a request without one, is an error. No Django here: forms and tokens are
read from the pages as a browser would. Bounded: every client stops at the deadline (a request
under way is finished) and at a fixed number of requests."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from benchmarks.bounded import csrf, get, multipart
from benchmarks.load import Sample, headers_for

MAX_REQUESTS = 100_000  # per client
# kind, clients, paths (formatted with the generated data's paths; a path whose key is missing
# is left out), persona of the session cookie
READERS: list[tuple[str, int, str | None, list[str]]] = [
    (
        "anonymous visitor",
        4,
        None,
        ["/", "/marktconsultaties/{consultation}", "/aanbestedingen/{tender}", "/toegankelijkheid"],
    ),
    (
        "municipal editor",
        4,
        "municipal editor",
        ["/", "/organisaties/gemeente-gm0344/", "{demand}", "/organisaties/"],
    ),
    (
        "supplier",
        3,
        "supplier",
        [
            "/",
            "/marktconsultaties/{consultation}",
            "/marktconsultaties/{consultation}/antwoorden",
            "/marktconsultaties/{consultation}/vragen",
        ],
    ),
    (
        "project team",
        3,
        "project team",
        [
            "/",
            "/organisaties/",
            "/organisaties/gemeente-gm0344/",
            "/marktconsultaties/{closed_consultation}/beoordeling",
        ],
    ),
    (
        "API client (project team)",
        3,
        "project team",
        [
            "/api/v1/me",
            "/api/v1/organisations",
            "/api/v1/programmes",
            "/api/v1/consultations/{consultation}/clarifications",
        ],
    ),
    (
        "API client (anonymous)",
        1,
        None,
        ["/api/v1/programmes", "/api/v1/tenders/{tender}"],
    ),
]
DRAFT_KIND = "draft saves (municipal editor)"
UPLOAD_KIND = "Excel upload (municipal editor)"
# The review page of an accepted upload (municipalities/demand_excel_review.html).
UPLOAD_ACCEPTED = b'name="csrfmiddlewaretoken"'


class FormReader(HTMLParser):
    """The fields of the first ``<form method="post">`` without an action (the page's own)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._done = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done and a.get("method") == "post" and not a.get("action"):
            self._in_form = True
        elif self._in_form and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button"}:
                self.fields.append((a["name"], a.get("value", "")))
        elif self._in_form and tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


@dataclass
class Client:
    kind: str
    step: Callable[[http.client.HTTPConnection, Sample], None]


def timed(
    conn: http.client.HTTPConnection,
    sample: Sample,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    check: Callable[[int, bytes], bool],
) -> tuple[int, bytes, list[str]]:
    started = time.perf_counter()
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    content = response.read()
    sample.latencies.append(time.perf_counter() - started)
    sample.statuses[response.status] += 1
    sample.passed += check(response.status, content)
    return response.status, content, response.headers.get_all("Set-Cookie") or []


def ok(status: int, _body: bytes) -> bool:
    return status == 200


def reader(host: str, port: int, paths: list[str], cookie: str | None, offset: int) -> Callable:
    headers = headers_for(host, port, cookie)
    position = [offset]

    def step(conn: http.client.HTTPConnection, sample: Sample) -> None:
        path = paths[position[0] % len(paths)]
        position[0] += 1
        timed(conn, sample, "GET", path, headers, None, ok)

    return step


def draft_saver(host: str, port: int, demand: str, cookie: str) -> Callable:
    """Read the inventory form, change one quantity, post it: a draft save (302)."""
    round_ = [0]

    def step(conn: http.client.HTTPConnection, sample: Sample) -> None:
        status, body, set_cookies = timed(
            conn, sample, "GET", demand, headers_for(host, port, cookie), None, ok
        )
        if status != 200:
            return
        csrf_cookie = [c.split(";", 1)[0] for c in set_cookies if c.startswith("csrftoken=")]
        form = FormReader()
        form.feed(body.decode())
        fields = form.fields
        quantities = [n for n, (name, _) in enumerate(fields) if name.startswith("q-")]
        round_[0] += 1
        if quantities:
            n = quantities[round_[0] % len(quantities)]
            fields[n] = (fields[n][0], str(round_[0] % 50))
        fields.append(("action", "save"))
        from urllib.parse import urlencode

        headers = {
            **headers_for(host, port, "; ".join([cookie, *csrf_cookie])),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{host}:{port}",
            "Referer": f"http://{host}:{port}{demand}",
        }
        timed(
            conn,
            sample,
            "POST",
            demand,
            headers,
            urlencode(fields).encode(),
            lambda s, _b: s == 302,
        )

    return step


def uploader(host: str, port: int, demand: str, cookie: str) -> Callable:
    """Upload the inventory's own downloaded workbook: its review page (200)."""
    workbook = get(host, port, f"{demand}excel", cookie)[1]
    path = f"{demand}excel-uploaden"
    csrf_cookie, token = csrf(host, port, path, cookie)
    content_type, body = multipart(token, workbook)
    headers = {
        **headers_for(host, port, f"{cookie}; {csrf_cookie}"),
        "Content-Type": content_type,
        "Origin": f"http://{host}:{port}",
        "Referer": f"http://{host}:{port}{path}",
    }

    def step(conn: http.client.HTTPConnection, sample: Sample) -> None:
        timed(
            conn,
            sample,
            "POST",
            path,
            headers,
            body,
            lambda s, b: s == 200 and UPLOAD_ACCEPTED in b,
        )

    return step


def clients_for(host: str, port: int, cookies: dict, paths: dict) -> list[Client]:
    clients = []
    for kind, count, persona, templates in READERS:
        usable = []
        for template in templates:
            try:
                usable.append(template.format(**paths))
            except KeyError:
                continue
        if not usable:
            continue
        cookie = cookies[persona] if persona else None
        clients += [Client(kind, reader(host, port, usable, cookie, n)) for n in range(count)]
    demand = paths.get("demand", "")
    if demand.startswith("/inventarisatie/"):
        editor = cookies["municipal editor"]
        clients.append(Client(DRAFT_KIND, draft_saver(host, port, demand, editor)))
        upload_cookie = cookies.get("municipal editor (upload)", editor)
        clients.append(Client(UPLOAD_KIND, uploader(host, port, demand, upload_cookie)))
    return clients


def summary(sample: Sample) -> dict:
    return {
        "requests": sample.requests,
        "errors": sample.errors,
        "statuses": {str(status): n for status, n in sorted(sample.statuses.items())},
        "rps": sample.rps,
        "p50_ms": sample.percentile_ms(0.5),
        "p95_ms": sample.percentile_ms(0.95),
        "p99_ms": sample.percentile_ms(0.99),
    }


def bench_journeys(
    host: str, port: int, cookies: dict, paths: dict, seconds: float, think: float = 1.0
) -> dict:
    """All clients at once for ``seconds``, each pausing about ``think`` seconds between
    steps; per kind of user and in total."""
    clients = clients_for(host, port, cookies, paths)
    samples = {client.kind: Sample() for client in clients}
    total = Sample()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def run(client: Client, seed: int) -> None:
        pauses = random.Random(seed)
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine = Sample()
        # The users do not start in step.
        time.sleep(min(pauses.uniform(0, think), max(0.0, deadline - time.perf_counter())))
        while time.perf_counter() < deadline and mine.requests < MAX_REQUESTS:
            try:
                client.step(conn, mine)
            except (OSError, http.client.HTTPException):
                mine.unanswered += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
            pause = pauses.uniform(0.5, 1.5) * think
            time.sleep(min(pause, max(0.0, deadline - time.perf_counter())))
        conn.close()
        with lock:
            for sample in (samples[client.kind], total):
                sample.latencies.extend(mine.latencies)
                sample.statuses.update(mine.statuses)
                sample.passed += mine.passed
                sample.unanswered += mine.unanswered

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(client, n)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for sample in (*samples.values(), total):
        sample.seconds = elapsed
    return {
        "clients": len(clients),
        "seconds": seconds,
        "think": think,
        "kinds": {kind: summary(sample) for kind, sample in samples.items()},
        "clients_per_kind": {kind: sum(1 for c in clients if c.kind == kind) for kind in samples},
        "total": summary(total),
        "errors": total.errors,
    }


def summary_line(journeys: dict) -> str:
    total = journeys["total"]
    return (
        f"{journeys['clients']} users for {journeys['seconds']:.0f} s: {total['requests']} "
        f"requests, {total['errors']} errors, p50 {total['p50_ms']:.1f} ms, p95 "
        f"{total['p95_ms']:.1f} ms, p99 {total['p99_ms']:.1f} ms"
    )
