"""Measures: time scoring, reliable change, chart rendering and FHIR export (prints figures only).

Run: .venv/bin/python benchmarks/measures.py
"""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings_test")

import django  # noqa: E402

django.setup()

from nearer.measures import get_instrument, reliable_change, score  # noqa: E402
from nearer.measures.charts import Point, render  # noqa: E402
from nearer.measures.fhir import Administration, build_bundle  # noqa: E402


def timed(fn, repeats: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        t = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t) / 1e3)
    return statistics.median(samples), statistics.mean(samples)


def main() -> None:
    rng = random.Random(20261121)
    phq9 = get_instrument("phq9")
    items = list(phq9.scored_items)
    answers = [{lid: rng.randint(0, 3) for lid in items} for _ in range(2000)]
    it = iter(answers * 10)
    med, mean = timed(lambda: score("phq9", next(it)), 2000)
    print(f"score('phq9', ...)            median {med:8.1f} us  mean {mean:8.1f} us")
    reference = timed(lambda: sum(next(it).values()), 2000)
    print(f"  reference: sum of 9 ints    median {reference[0]:8.1f} us  ratio {med / reference[0]:.0f}x")
    med, mean = timed(lambda: reliable_change("phq9", rng.randint(0, 27), rng.randint(0, 27)), 2000)
    print(f"reliable_change('phq9', ...)  median {med:8.1f} us  mean {mean:8.1f} us")
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    points = [Point(t0 + timedelta(days=14 * k), rng.randint(0, 27), "no_reliable_change", f"score {k}") for k in range(26)]
    med, mean = timed(lambda: render(phq9, points, title="a year of PHQ-9 scores", band_names={}), 300)
    print(f"chart, 26 points (a year)     median {med:8.1f} us  mean {mean:8.1f} us")
    adms = [Administration("phq9", t0 + timedelta(days=14 * k), answers[k], str(k)) for k in range(26)]
    med, mean = timed(lambda: build_bundle("Patient/1", adms), 100)
    print(f"FHIR bundle, 26 PHQ-9s        median {med:8.1f} us  mean {mean:8.1f} us")


if __name__ == "__main__":
    main()
