"""BENCHMARKS.md ends with a verdict per target of issue 17, computed from the run's numbers."""

from __future__ import annotations

from benchmarks.load import Result
from benchmarks.markdown_targets import targets_report


def result(name: str, p50: float, p95: float) -> Result:
    return Result(name=name, path="/", requests=100, errors=0, seconds=3.0, p50_ms=p50, p95_ms=p95)


def run(pages: list[Result], **data) -> tuple[int, dict, list[Result], Result]:
    floor = result("Floor", 2.0, 3.0)
    return 10, {"personas": [None] * len(pages), **data}, pages, floor


def test_a_page_over_either_bound_is_named_and_the_target_not_met():
    text = "\n".join(
        targets_report(
            [
                run(
                    [
                        result("Quick (anonymous)", 20.0, 40.0),
                        result("Slow (anonymous)", 31.0, 50.0),
                        result("Spiky (supplier)", 20, 61),
                    ]
                )
            ]
        )
    )
    assert "**1. Pages** (p50 ≤ 15× and p95 ≤ 30× the floor's p50) — **not met**" in text
    assert "1 of 3 pages within both" in text
    assert "Slow (anonymous) 15.5× / 25.0×" in text and "Spiky (supplier) 10.0× / 30.5×" in text
    assert "Quick (anonymous)" not in text


def test_every_target_met_says_so():
    data = {
        "aggregation": {"ratio": 2.5},
        "report": {"ratio_chromium": 0.9, "peak_kb": 200 * 1024},
        "documents": {"ratio_time": 0.8, "weasyprint_peak_kb": 250 * 1024},
        "exports": {"ratio": 1.9, "peak_mb": 12.0},
        "excel": {"ratio": 1.4},
        "weight": {
            "met": {"first_visit": True, "signed_in": True, "outside": True},
            "first_visit": {"kb": 120.0},
            "signed_in": {"kb": 20.0},
            "first_visit_budget_kb": 150,
            "signed_in_budget_kb": 30,
            "outside": [],
        },
        "journeys": {"total": {"errors": 0, "p95_ms": 150.0}},
    }
    text = "\n".join(targets_report([run([result("Quick", 20.0, 40.0)], **data)]))
    assert text.count("**met**") == 6 and "not met" not in text


def test_a_pdf_over_its_memory_or_an_upload_over_its_ratio_is_not_met():
    data = {
        "report": {"ratio_chromium": 0.9, "peak_kb": 400 * 1024},
        "excel": {"ratio": 1.6},
        "exports": {"ratio": 1.0, "peak_mb": 5.0},
    }
    text = "\n".join(targets_report([run([result("Quick", 2.0, 3.0)], **data)]))
    assert "**3. PDFs** (≤ 1× headless Chromium, peak ≤ 300 MB) — **not met**" in text
    assert (
        "— **not met**: export 10× 1.0× (the highest ratio; peak 5.0 MB); upload 10× 1.6×" in text
    )


def test_a_page_is_compared_with_the_floor_measured_just_before_it():
    """A page measured while the machine was slow is compared with the floor of that moment,
    not with the run's best floor."""
    slow_moment = result("Slow moment (supplier)", 40.0, 70.0)
    slow_moment.floor_p50_ms = 3.0  # the run's floor is 2.0: 20× against it, 13.3× here
    fast_moment = result("Fast moment (supplier)", 40.0, 70.0)
    fast_moment.floor_p50_ms = 2.0
    text = "\n".join(targets_report([run([slow_moment, fast_moment])]))
    assert "1 of 2 pages within both" in text
    assert "Fast moment (supplier) 20.0× / 35.0×" in text
    assert "Slow moment" not in text
    assert "2.0–3.0 ms just before the pages" in text
