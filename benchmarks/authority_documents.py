"""The two documents that list every authority — the annex of participating authorities and
the draft framework agreement — rendered by WeasyPrint as the worker renders them, from
made-up inputs of the shape ``tenders.documents.inputs`` gives, at any number of authorities.
No database: the inputs are built here, so a scale needs no generated data.

Each document is rendered in a fresh child process (as a fresh worker process), after one
render of the bare layout (``pdf/base.html``) to load fonts and the stylesheet; the row gives
the render's time and the child's peak RSS (VmHWM) over the render, the pages and the size.

``python -m benchmarks.authority_documents [--authorities 342 3420] [--kinds authorities]``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from benchmarks.timing import page_count  # noqa: E402
from portal.pdf import render_pdf  # noqa: E402
from tenders.documents.render import TEMPLATES, pdf_context  # noqa: E402
from tenders.models import TenderDocument  # noqa: E402

K = TenderDocument.Kind
KINDS = (K.AUTHORITIES, K.AGREEMENT)
BASE = Path(__file__).resolve().parent.parent
LOTS = ((1, "Werkplekapparatuur"), (2, "Mobiele apparaten en randapparatuur"))


def authority(n: int) -> dict[str, Any]:
    """The ``n``-th made-up authority: mostly municipalities, every 50th a joint body that
    calls off for three municipalities, every 25th without an identifier."""
    if n % 50 == 49:
        return {
            "name": f"Samenwerkingsverband Regio {n:04d}",
            "kind": "Samenwerkingsverband",
            "scheme": "OIN",
            "identifier": f"0000000{n:013d}",
            "on_behalf_of": [f"Gemeente Voorbeeld {n + k:04d}" for k in range(1, 4)],
        }
    return {
        "name": f"Gemeente Voorbeeld {n:04d}",
        "kind": "Gemeente",
        "scheme": "" if n % 25 == 24 else "CBS-code",
        "identifier": "" if n % 25 == 24 else f"GM{n:04d}",
        "on_behalf_of": [],
    }


def inputs(kind: str, count: int) -> dict[str, Any]:
    authorities = [authority(n) for n in range(count)]
    header = {
        "format": 1,
        "reference": "VNG-GT-WERKPLEK-2026",
        "title": "GT Hardware – werkplek",
        "programme": "GT Hardware – werkplek 2026",
    }
    if kind == K.AUTHORITIES:
        lots = [
            {"number": number, "title": title, "authorities": authorities} for number, title in LOTS
        ]
        return {**header, "lots": lots}
    return {
        **header,
        "parties": authorities,
        "contract_start": "1 juli 2027",
        "contract_years": 4,
        "extension_years": 2,
        "lots": [
            {
                "number": number,
                "title": title,
                "maximum_quantity": 120000,
                "maximum_value": "98000000.00",
                "option_value": "24000000.00",
            }
            for number, title in LOTS
        ],
    }


def version(kind: str, count: int) -> SimpleNamespace:
    """What the templates and ``pdf_context`` read of a DocumentVersion."""
    return SimpleNamespace(
        number=1,
        change_note="",
        requested_at=timezone.make_aware(datetime(2026, 11, 2, 9, 0)),
        inputs=inputs(kind, count),
        document=SimpleNamespace(kind=kind),
    )


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def render_one(kind: str, count: int) -> dict[str, Any]:
    """The child: warm up, reset the peak, render once."""
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    render_pdf("pdf/base.html", {})
    stand_in = version(kind, count)
    Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    pdf = render_pdf(TEMPLATES[kind], pdf_context(stand_in))  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {
        "kind": kind,
        "authorities": count,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_kb() / 1024),
        "pages": page_count(pdf),
        "kb": round(len(pdf) / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--authorities", type=int, nargs="+", default=[342, 3420])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(render_one(args.kinds[0], args.authorities[0])))
        return
    rows = []
    for count in args.authorities:
        for kind in args.kinds:
            command = [sys.executable, "-m", "benchmarks.authority_documents", "--child"]
            command += ["--kinds", kind, "--authorities", str(count)]
            result = subprocess.run(command, cwd=BASE, check=True, capture_output=True, text=True)
            rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)


if __name__ == "__main__":
    main()
