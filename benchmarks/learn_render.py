"""Learn: cost of loading the library cold, and of serving a piece page once it is cached.

Prints figures; nothing here is asserted. Run from the repository root:
    .venv/bin/python benchmarks/learn_render.py
Reference in the same run: ``markdown_it`` alone on the same bodies (no nh3, no front matter).
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings_test")

import django  # noqa: E402

django.setup()

from django.template import Context, Template  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from nearer.learn import content  # noqa: E402

REPEATS = 20


def _ms(ns: int) -> float:
    return ns / 1e6


def main() -> None:
    cold = []
    for _ in range(REPEATS):
        content.clear_cache()
        t = time.perf_counter_ns()
        lib = content.library()
        cold.append(time.perf_counter_ns() - t)
    bodies = [p.body for lang in lib.values() for p in lang.values()]

    render = []
    for _ in range(REPEATS):
        t = time.perf_counter_ns()
        for body in bodies:
            content.render_markdown(body)
        render.append((time.perf_counter_ns() - t) / len(bodies))

    md = MarkdownIt("commonmark", {"html": False})
    ref = []
    for _ in range(REPEATS):
        t = time.perf_counter_ns()
        for body in bodies:
            md.render(body)
        ref.append((time.perf_counter_ns() - t) / len(bodies))

    tag = Template('{% load learn_tags %}{% learn_link "ladder" %}')
    link = []
    for _ in range(REPEATS):
        t = time.perf_counter_ns()
        for _i in range(100):
            tag.render(Context())
        link.append((time.perf_counter_ns() - t) / 100)

    print(f"pieces: {len(bodies)} files ({len(lib)} languages), load average {os.getloadavg()[0]:.1f}")
    print(f"cold load + render of the whole library: median {_ms(int(statistics.median(cold))):.1f} ms, "
          f"max {_ms(max(cold)):.1f} ms")
    med_r, med_ref = statistics.median(render), statistics.median(ref)
    print(f"render_markdown per piece (markdown-it + nh3): median {_ms(int(med_r)):.3f} ms")
    print(f"reference markdown-it alone per piece:         median {_ms(int(med_ref)):.3f} ms "
          f"(ratio {med_r / med_ref:.2f}x)")
    print(f"learn_link tag per call (cached library): median {statistics.median(link) / 1e3:.1f} us")


if __name__ == "__main__":
    main()
