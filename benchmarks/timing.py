"""What the in-process benchmarks share: how samples are summarised, how the pages of a PDF are
counted, and their command line."""

from __future__ import annotations

import argparse
import json
import re
import statistics
import zlib
from collections.abc import Callable


def summary(samples: list[float]) -> dict:
    """Median and p95 of samples in seconds, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


PAGE_RE = re.compile(rb"/Type\s*/Page(?![s\w])")
STREAM_RE = re.compile(rb"stream\r?\n")


def page_count(pdf: bytes) -> int:
    """Pages of a PDF, also when its objects are in compressed object streams."""
    pages = len(PAGE_RE.findall(pdf))
    for match in STREAM_RE.finditer(pdf):
        try:
            data = zlib.decompressobj().decompress(pdf[match.end() :])
        except zlib.error:
            continue
        pages += len(PAGE_RE.findall(data))
    return pages


def cli(bench: Callable[[int], dict], *, description: str, runs: int) -> None:
    """``--runs N`` and ``--out result.json``; the result is printed as JSON too."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--out")
    args = parser.parse_args()
    text = json.dumps(bench(args.runs), indent=2)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)
    print(text)
