"""Time ``nearer.safety.screen()`` on realistic 500-character diary entries.

Run from the repository root::

    .venv/bin/python benchmarks/screener.py
    .venv/bin/python benchmarks/screener.py --score FILE.csv [--no-misses]  # accuracy only
    .venv/bin/python benchmarks/screener.py --cv                            # cross-validation (minutes)

``--score FILE...`` skips the timing and prints, for labelled CSV files
(``text,language,expected[,construct]``), overall, per language and per construct: recall of risk
(concern and urgent rows flagged at all), urgent rows screened urgent, none rows flagged (false
positives), everyday idioms and accidents flagged on their own, and the misses. It is how held-out
sets are scored (see ``docs/dev/screener.md``). ``--cv`` retrains with grouped, stratified 5-fold
cross-validation on the training corpus and prints the out-of-fold figures, rules alone and rules
plus model, per language and per construct.

Entries are built from our own sentences (ordinary hard-day text with, for a third of them, one
concern sentence and for another third one urgent sentence placed in the middle), in English and
Spanish, each cut or padded to exactly 500 characters. Target: mean at most 2 ms per call (rules, typo layer
and model together; the model file is loaded before timing, as it is once per process).

The reference, timed in the same run over the same entries, is "lower + in": ``text.lower()``
followed by five ``in`` checks for fixed words, which is roughly the cheapest keyword screen
one could write. The ratio says how many times that cheap screen the real one costs.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nearer.safety import screen  # noqa: E402
from nearer.safety.screening import screen_rules  # noqa: E402
from nearer.safety.train import IDIOMS_AND_ACCIDENTS  # noqa: E402

ORDINARY = [
    "We barely talked tonight and I went to bed early.",
    "Work was awful and I snapped at him when I got home.",
    "He scrolled his phone the whole dinner and I felt invisible.",
    "I feel so alone next to him on the sofa.",
    "The kids were loud, this commute is killing me, and I'm dead tired.",
    "We laughed together for a moment and it felt like before.",
    "I wanted to reach for her hand but I didn't.",
    "Hoy apenas hablamos en la cena y me fui a dormir temprano.",
    "Me siento sola aunque esté a su lado, me muero de cansancio.",
    "Discutimos otra vez por el dinero y lloré en el coche.",
]
CONCERN = [
    "Sometimes I wish I could go to sleep and never wake up.",
    "I feel like such a burden on everyone around me.",
    "I don't see the point of living some days.",
    "Ya no aguanto más, me quiero morir.",
    "Soy una carga para todos.",
]
URGENT = [
    "I've been saving up my pills and tonight I'll end it.",
    "I'm going to kill myself this weekend.",
    "This is goodbye, tell them I loved them.",
    "Esta noche me mato, ya tengo las pastillas guardadas.",
    "Me corté anoche otra vez.",
]
LENGTH = 500
N_ENTRIES = 300
REPEATS = 5


def make_entry(rng: random.Random, kind: str) -> str:
    """One 500-character entry; a risk sentence, if any, sits roughly in the middle."""
    before: list[str] = []
    while sum(len(s) + 1 for s in before) < LENGTH // 2 - 40:
        before.append(rng.choice(ORDINARY))
    middle = {"none": [], "concern": [rng.choice(CONCERN)], "urgent": [rng.choice(URGENT)]}[kind]
    after: list[str] = []
    while sum(len(s) + 1 for s in before + middle + after) <= LENGTH + 1:
        after.append(rng.choice(ORDINARY))
    return " ".join(before + middle + after)[:LENGTH]


def reference(text: str) -> bool:
    low = text.lower()
    return "suicide" in low or "kill myself" in low or "want to die" in low or "matarme" in low or "morir" in low


def timed(fn, entries: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    out: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(REPEATS):
        for e in entries:
            t0 = clock()
            fn(e)
            out.append((clock() - t0) / 1e6)
    return out


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main() -> None:
    rng = random.Random(20240601)
    kinds = ["none", "concern", "urgent"] * (N_ENTRIES // 3)
    entries = [make_entry(rng, k) for k in kinds]
    assert all(len(e) == LENGTH for e in entries)
    levels = [screen(e).level for e in entries]  # also warms up
    agree = sum(lv == k for lv, k in zip(levels, kinds, strict=True))

    ours = timed(screen, entries)
    rules_only = timed(screen_rules, entries)
    ref = timed(reference, entries)
    mean_ours, mean_ref = statistics.fmean(ours), statistics.fmean(ref)
    print(f"screen(): {len(entries)} entries x {REPEATS} repeats, {LENGTH} chars each "
          f"(none/concern/urgent in equal parts); level matched the built kind for {agree}/{len(entries)}")
    print(f"  screen()        mean {mean_ours:.3f} ms   median {statistics.median(ours):.3f} ms   "
          f"p99 {p99(ours):.3f} ms   max {max(ours):.3f} ms")
    print(f"  rules only      mean {statistics.fmean(rules_only):.3f} ms   median {statistics.median(rules_only):.3f} ms")
    print(f"  (load average (1 min) after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; shared-machine noise shows in p99/max)")
    print(f"  lower + in      mean {mean_ref * 1000:.2f} us   p99 {p99(ref) * 1000:.2f} us")
    print(f"  ratio (mean)    {mean_ours / mean_ref:.0f}x the 'lower + in' reference")
    print(f"  target mean <= 2 ms: {'met' if mean_ours <= 2 else 'MISSED'} (p99 {p99(ours):.2f} ms, for information)")


HOSTILE = {
    "'going to' + 'just' x20000": "i am going to" + " just" * 20000,
    "'gonna to ' x20000": "gonna to " * 20000,
    "'im such ' x20000": "im such " * 20000,
    "'a' x100000": "a" * 100_000,
    "emoji x50000": "\U0001f62d" * 50_000,
}


def hostile() -> None:
    """Long repetitive inputs that would expose a pattern with quadratic backtracking."""
    print("hostile inputs (one call each; linear patterns keep these well under a second):")
    for name, text in HOSTILE.items():
        t0 = time.perf_counter()
        level = screen(text).level
        dt = time.perf_counter() - t0
        print(f"  {name:30} {len(text):7} chars  {dt * 1000:8.1f} ms  {dt / len(text) * 1e6:5.2f} us/char  {level}")


def _frac(hits: int, n: int) -> str:
    return f"{hits}/{n} ({hits / n:.1%})" if n else "0/0"


def _figures(results: list[tuple[dict[str, str], str]]) -> str:
    risk = [lv for r, lv in results if r["expected"] != "none"]
    urg = [lv for r, lv in results if r["expected"] == "urgent"]
    conc = [lv for r, lv in results if r["expected"] == "concern"]
    none = [lv for r, lv in results if r["expected"] == "none"]
    return (
        f"risk recall {_frac(sum(lv != 'none' for lv in risk), len(risk))}   "
        f"urgent-as-urgent {_frac(sum(lv == 'urgent' for lv in urg), len(urg))}   "
        f"concern flagged {_frac(sum(lv != 'none' for lv in conc), len(conc))}   "
        f"none flagged {_frac(sum(lv != 'none' for lv in none), len(none))}"
    )


def score(paths: list[str], show_misses: bool = True) -> None:
    """Print held-out figures for labelled CSV files (``text,language,expected[,construct]``).

    Overall, per language and per construct: recall of risk (concern and urgent rows flagged at
    all), urgent rows screened urgent, and the share of none rows flagged (false positives), with
    everyday idioms and accidents (constructs ``idiom``, ``accident``, ``ordinary_height``,
    ``ordinary_medication``) also on their own.
    """
    rows: list[dict[str, str]] = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    results = [(r, screen(r["text"]).level) for r in rows]
    print(f"scored {len(rows)} rows from {', '.join(paths)}")
    for lang in (None, "en", "es"):
        sel = [(r, lv) for r, lv in results if lang is None or r["language"] == lang]
        print(f"{lang or 'all':3}  {_figures(sel)}")
    for lang in (None, "en", "es"):
        look = [lv for r, lv in results if r["expected"] == "none" and r.get("construct") in IDIOMS_AND_ACCIDENTS
                and (lang is None or r["language"] == lang)]
        if look:
            print(f"{lang or 'all':3}  everyday idioms and accidents flagged {_frac(sum(lv != 'none' for lv in look), len(look))}")
    if any(r.get("construct") for r in rows):
        print("per construct (expected level: flagged at all / screened urgent):")
        keys = sorted({(r.get("construct") or "-", r["expected"]) for r in rows})
        for construct, exp in keys:
            for lang in ("en", "es"):
                sel = [lv for r, lv in results if (r.get("construct") or "-") == construct and r["expected"] == exp
                       and r["language"] == lang]
                if sel:
                    print(f"  {construct:24} {exp:8} {lang}  n={len(sel):4}  flagged {_frac(sum(lv != 'none' for lv in sel), len(sel)):>16}"
                          f"  urgent {_frac(sum(lv == 'urgent' for lv in sel), len(sel)):>16}")
    if show_misses:
        print("misses and false positives (expected -> got):")
        for r, lv in results:
            exp = r["expected"]
            wrong = (exp == "none" and lv != "none") or (exp == "concern" and lv == "none") or (
                exp == "urgent" and lv != "urgent")
            if wrong:
                print(f"  {exp:7} -> {lv:7}  {r['text']}")


def cross_validate() -> None:
    """Cross-validated figures of rules + model on the training corpus (retrains; takes minutes)."""
    from nearer.safety import train

    _, report = train.build()
    print(train.cv_table(report))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--score":
        args = [a for a in sys.argv[2:] if a != "--no-misses"]
        score(args, show_misses="--no-misses" not in sys.argv)
    elif len(sys.argv) > 1 and sys.argv[1] == "--cv":
        cross_validate()
    else:
        main()
        hostile()
