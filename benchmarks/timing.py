"""What the in-process benchmarks share: how samples are summarised, and their command line."""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable


def summary(samples: list[float]) -> dict:
    """Median and p95 of samples in seconds, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


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
