"""Bounded input under load, on the page benchmark's gunicorn server (benchmarks/pages.py): 20
concurrent clients of the municipal editor request ordinary pages (the dashboard and the demand
inventory page, in turn) for a few seconds alone, the baseline; then as long again while 2
further clients of the same municipality's editor repeatedly upload the largest refused workbook
(its own download with one sheet of 550,000 one-figure rows, within the size limits) to the
demand's Excel upload. Each upload should be refused with the Dutch message (422), never a 5xx,
and the ordinary pages should hardly notice.

No Django here: the workbook is downloaded from the server and changed as a zip, the CSRF token
is read from the upload form. Bounded: both phases stop at their deadline (a request under way
is finished), and every client at a fixed number of requests."""

from __future__ import annotations

import http.client
import io
import re
import zipfile

from benchmarks.load import Group, Request, Sample, headers_for, run_groups

ORDINARY_CLIENTS = 20
HOSTILE_CLIENTS = 2
ORDINARY_PAGES = [("Dashboard", "/"), ("Demand inventory page", "{demand}")]
MAX_PAGE_REQUESTS = 5_000  # per ordinary client and phase
MAX_UPLOADS = 200  # per hostile client
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The Dutch refusal of a workbook larger than the template (municipalities/excel/shape.py).
REFUSAL = b"Het bestand heeft meer tabbladen, rijen of kolommen dan het Excelbestand"


def half_a_million_rows(content: bytes) -> bytes:
    """``content`` with its first municipality's sheet replaced by 550,000 one-figure rows."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rows = [f'<row r="{n}"><c r="D{n}"><v>{n % 97}</v></c></row>' for n in range(1, 550_001)]
    members["xl/worksheets/sheet2.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
        + "".join(rows)
        + "</sheetData></worksheet>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def get(host: str, port: int, path: str, cookie: str) -> tuple[list[str], bytes]:
    """The Set-Cookie headers and the body of a page that must answer 200."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers_for(host, port, cookie))
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return response.headers.get_all("Set-Cookie") or [], body


def csrf(host: str, port: int, path: str, cookie: str) -> tuple[str, str]:
    """The CSRF cookie the upload form sets, and the token in the form."""
    set_cookies, body = get(host, port, path, cookie)
    cookies = [header.split(";", 1)[0] for header in set_cookies if header.startswith("csrftoken=")]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not cookies or not token:
        raise RuntimeError(f"no CSRF cookie or token on {path}")
    return cookies[0], token.group(1).decode()


def multipart(token: str, content: bytes) -> tuple[str, bytes]:
    """The upload form as the browser sends it: the CSRF token and the file."""
    boundary = "----bench-bounded-input-7f3a9c"
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n',
            token.encode() + b"\r\n",
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="inventarisatie.xlsx"\r\n',
            f"Content-Type: {XLSX}\r\n\r\n".encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return f"multipart/form-data; boundary={boundary}", body


def is_refusal(status: int, body: bytes) -> bool:
    return status == 422 and REFUSAL in body


def pages_of(sample: Sample) -> dict:
    return {
        "requests": sample.requests,
        "errors": sample.errors,
        "rps": sample.rps,
        "p50_ms": sample.percentile_ms(0.5),
        "p95_ms": sample.percentile_ms(0.95),
        "p99_ms": sample.percentile_ms(0.99),
    }


def bench_bounded(host: str, port: int, cookies: dict, paths: dict, seconds: float) -> dict:
    """The baseline, then the same clients next to the hostile uploads; see the module."""
    demand = paths.get("demand", "/")
    if not demand.startswith("/inventarisatie/"):
        raise RuntimeError("the municipal editor has no demand inventory to upload to")
    editor = cookies["municipal editor"]
    uploader = cookies.get("municipal editor (upload)", editor)
    upload_path = f"{demand}excel-uploaden"
    workbook = half_a_million_rows(get(host, port, f"{demand}excel", uploader)[1])
    csrf_cookie, token = csrf(host, port, upload_path, uploader)
    content_type, body = multipart(token, workbook)
    upload_headers = {
        **headers_for(host, port, f"{uploader}; {csrf_cookie}"),
        "Content-Type": content_type,
    }
    upload = Request("POST", upload_path, upload_headers, body)
    page_headers = headers_for(host, port, editor)
    pages = [Request("GET", path.format(**paths), page_headers) for _, path in ORDINARY_PAGES]

    def ordinary() -> Group:
        return Group("pages", ORDINARY_CLIENTS, pages, MAX_PAGE_REQUESTS)

    # Warm up: each page once, and one upload (it must be refused, or the run is pointless).
    warm = run_groups(
        host,
        port,
        [Group("pages", 1, pages, len(pages)), Group("upload", 1, [upload], 1, is_refusal)],
        seconds * 10,
    )
    if warm["upload"].errors:
        raise RuntimeError(f"the hostile upload was not refused: {dict(warm['upload'].statuses)}")
    baseline = run_groups(host, port, [ordinary()], seconds)["pages"]
    attacked = run_groups(
        host,
        port,
        [ordinary(), Group("uploads", HOSTILE_CLIENTS, [upload], MAX_UPLOADS, is_refusal)],
        seconds,
    )
    uploads = attacked["uploads"]
    result = {
        "clients": ORDINARY_CLIENTS,
        "hostile_clients": HOSTILE_CLIENTS,
        "seconds": seconds,
        "pages": [name for name, _ in ORDINARY_PAGES],
        "upload_path": upload_path,
        "workbook_kb": len(workbook) / 1024,
        "baseline": pages_of(baseline),
        "attacked": pages_of(attacked["pages"]),
        "uploads": {
            "count": uploads.requests,
            "statuses": {str(status): n for status, n in sorted(uploads.statuses.items())},
            "refused": uploads.passed,
            "unanswered": uploads.unanswered,
            "server_errors": sum(n for status, n in uploads.statuses.items() if status >= 500),
            "p50_ms": uploads.percentile_ms(0.5),
            "p95_ms": uploads.percentile_ms(0.95),
        },
    }
    result["errors"] = baseline.errors + attacked["pages"].errors + uploads.errors
    return result


def summary_line(bounded: dict) -> str:
    base, attacked, uploads = bounded["baseline"], bounded["attacked"], bounded["uploads"]
    return (
        f"{bounded['clients']} clients alone: p50 {base['p50_ms']:.1f} ms, p95 "
        f"{base['p95_ms']:.1f} ms, p99 {base['p99_ms']:.1f} ms, {base['errors']} errors; "
        f"with {bounded['hostile_clients']} hostile uploaders: p50 {attacked['p50_ms']:.1f} ms, "
        f"p95 {attacked['p95_ms']:.1f} ms, p99 {attacked['p99_ms']:.1f} ms, "
        f"{attacked['errors']} errors; uploads: {uploads['count']} "
        f"(statuses {uploads['statuses']}, {uploads['refused']} with the Dutch refusal), "
        f"p50 {uploads['p50_ms']:.1f} ms, p95 {uploads['p95_ms']:.1f} ms"
    )
