"""Speed and memory of the loop fit (nearer.analysis.loop.fit_loop).

Usage:
    .venv/bin/python benchmarks/loop_fit.py          # 10,000 people x 90 days, vs statsmodels
    .venv/bin/python benchmarks/loop_fit.py --big    # 100,000 people x 365 days (time and memory only)
    .venv/bin/python benchmarks/loop_fit.py --whole  # `nearer loop fit` as a whole process vs R lme4
                                                     # and a statsmodels loop (whole processes too)
    .venv/bin/python benchmarks/loop_fit.py --whole --big   # 100,000 x 365 diary file: time, peak memory
    .venv/bin/python benchmarks/loop_fit.py --reader  # reading the 10,000 x 90 diary CSV: pyarrow vs line by line

--whole writes a simulated diary CSV (answered days only) and the simulation's true per-person
effects to a temporary folder, then times whole processes from CSV in to estimates out, in
interleaved rounds (--rounds; the order rotates each round): `python -m nearer.cli loop fit`
(--ours-per-round times, default 5: it lasts a fifth of a second),
`Rscript benchmarks/loop_lme4.R` (skipped with a message when R or lme4 is absent) and
`python benchmarks/loop_statsmodels.py`. Wall time, CPU time (user + system of the process and
its threads) and peak memory of each; speed-up ratios from the medians; accuracy as the root mean
square error of each person's four estimates against the truth, over the people every method
estimated. nearer's modules are compiled to bytecode first, as an installed package's are
(--no-bytecode: not, so that with PYTHONDONTWRITEBYTECODE set each run compiles them again).

Single-threaded on purpose: thread counts are pinned before numpy is imported.
Prints figures (wall-clock and CPU time, load average, peak memory); asserts nothing.

The 10k run times the engine and the statsmodels reference in the same process, in
interleaved rounds (--rounds, default 5: --repeats engine calls, then one statsmodels
run on --sample people, extrapolated to everyone), and reports the speed-up from the
medians, in CPU time and in wall time.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nearer.analysis.loop import fit_loop  # noqa: E402
from nearer.analysis.ols import fit_ols_loop, pair_statistics  # noqa: E402
from nearer.analysis.simulate import simulate_diaries  # noqa: E402

SEED = 20250101


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux: ``5`` into /proc/self/clear_refs), so a later
    :func:`peak_rss_since_reset_mb` shows the peak of what ran after loading, not of the loading."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_since_reset_mb() -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def blas_info() -> str:
    env = ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    try:
        import threadpoolctl  # not a project dependency: reported only when importable
    except ImportError:
        return f"BLAS kernel: (threadpoolctl not importable); {env}"
    np.ones((2, 2)) @ np.ones((2, 2))
    libs = [f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture')} threads {i.get('num_threads')}"
            for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    return "BLAS: " + "; ".join(libs) + f"; {env}"


def timed(fn: Callable[[], Any], repeats: int) -> tuple[list[float], list[float], Any]:
    """Wall-clock and CPU seconds of each call, and the last result."""
    wall, cpu = [], []
    result = None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return wall, cpu, result


def fmt(xs: list[float], unit: float = 1e3, suffix: str = "ms", digits: int = 1) -> str:
    return f"best {min(xs) * unit:,.{digits}f} {suffix}, median {statistics.median(xs) * unit:,.{digits}f} {suffix}"


def statsmodels_per_person(p, d, m, c, people) -> Callable[[], int]:
    """The same gap-aware fit with statsmodels OLS, person by person (both equations).

    Setup (sorting the rows, finding each person's slice) is done here, outside
    the timing, in the statsmodels loop's favour.  The timed call does what a
    per-person loop must: slice the person, build the consecutive-pair design
    (a missed day or a blank answer breaks the chain), fit both equations with
    an intercept and read estimates, SEs and 90% intervals.
    """
    import statsmodels.api as sm

    order = np.lexsort((d, p))
    p, d, m, c = p[order], d[order], m[order], c[order]
    starts = np.searchsorted(p, people)
    ends = np.searchsorted(p, people, side="right")

    def run() -> int:
        fitted = 0
        for s, e in zip(starts, ends, strict=True):
            dd, mm, cc = d[s:e], m[s:e], c[s:e]
            ok = (np.diff(dd) == 1) & np.isfinite(mm[1:]) & np.isfinite(cc[1:]) & np.isfinite(mm[:-1]) & np.isfinite(cc[:-1])
            x = sm.add_constant(np.column_stack([mm[:-1][ok], cc[:-1][ok]]), has_constant="add")
            if x.shape[0] < 4:
                continue
            for y in (mm[1:][ok], cc[1:][ok]):
                res = sm.OLS(y, x).fit()
                # What fit_loop also returns: estimates, standard errors, 90% intervals.
                res.params, res.bse, res.conf_int(alpha=0.10)
            fitted += 1
        return fitted

    return run


def big_data(n_people: int, n_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simulated answered rows in narrow dtypes (int32 ids and days, float32 answers), built 10,000 people at a time.

    The engine reads these dtypes in place, so memory is the data (16 bytes a row) plus small per-person arrays.
    """
    chunk = 10_000
    cap = n_people * n_days
    p = np.empty(cap, np.int32)
    d = np.empty(cap, np.int32)
    m = np.empty(cap, np.float32)
    c = np.empty(cap, np.float32)
    filled = 0
    seeds = np.random.SeedSequence(SEED).spawn(-(-n_people // chunk))
    for k, seed in enumerate(seeds):
        first = k * chunk
        n = min(chunk, n_people - first)
        sim = simulate_diaries(n, n_days, np.random.default_rng(seed), dtype=np.float32)
        pp, dd, mm, cc = sim.observed()
        rows = pp.size
        p[filled : filled + rows] = pp + first
        d[filled : filled + rows] = dd
        m[filled : filled + rows] = mm
        c[filled : filled + rows] = cc
        filled += rows
        del sim, pp, dd, mm, cc
    return p[:filled], d[:filled], m[:filled], c[:filled]


def ratio_line(label: str, sm: list[float], ours: list[float]) -> str:
    return (f"{label}: median/median {statistics.median(sm) / statistics.median(ours):,.0f}x, "
            f"best/best {min(sm) / min(ours):,.0f}x")


def write_diary_csv(path: Path, n_people: int, n_days: int) -> np.ndarray:
    """Simulated diary as a CSV file (answered days only), 10,000 people at a time; returns the true effects.

    Labels ``p000000``...; dates from 2024-01-01; whole-number answers.  The true per-person
    coefficients (``COEF_NAMES`` order) are returned for the accuracy comparison.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    from nearer.analysis.simulate import simulate_diaries

    chunk = 10_000
    epoch = 719_163  # date(1970, 1, 1).toordinal()
    start = 738_886  # date(2024, 1, 1).toordinal()
    truth = np.empty((n_people, 4))
    seeds = np.random.SeedSequence(SEED).spawn(-(-n_people // chunk))
    schema = pa.schema([("person_id", pa.string()), ("date", pa.date32()), ("mood", pa.int8()),
                        ("closeness", pa.int8())])
    with pacsv.CSVWriter(str(path), schema, write_options=pacsv.WriteOptions(quoting_style="none")) as w:
        for k, seed in enumerate(seeds):
            first = k * chunk
            n = min(chunk, n_people - first)
            sim = simulate_diaries(n, n_days, np.random.default_rng(seed), start_day=start, dtype=np.float32)
            truth[first : first + n] = sim.true_coef
            p, d, m, c = sim.observed()
            labels = np.char.add("p", np.char.zfill((np.arange(n) + first).astype(str), 6))
            w.write_table(pa.table({
                "person_id": pa.array(labels).take(pa.array(p)),
                "date": pa.array((d - epoch).astype(np.int32)).cast(pa.date32()),
                "mood": pa.array(m.astype(np.int8)),
                "closeness": pa.array(c.astype(np.int8)),
            }, schema=schema))
            del sim, p, d, m, c
    return truth


def run_process(cmd: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system, all threads) and peak RSS (MB) of one whole process."""
    import subprocess

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, proc.returncode


def read_estimates(path: Path, columns: tuple[str, ...]) -> dict[int, np.ndarray]:
    """Person number -> the four estimates (COEF_NAMES order) from an estimates CSV; blank rows skipped."""
    import csv

    out: dict[int, np.ndarray] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            vals = [row[c] for c in columns]
            if all(v not in ("", "NA") for v in vals):
                out[int(row["person_id"].lstrip("p"))] = np.array([float(v) for v in vals])
    return out


def whole(args: argparse.Namespace) -> None:
    import shutil
    import subprocess
    import tempfile

    n_people, n_days = (100_000, 365) if args.big else (10_000, 90)
    here = Path(__file__).resolve().parent
    root = here.parent
    py = sys.executable
    env_note = "OMP/OPENBLAS/MKL threads 1 in every process"
    print(load())
    print(env_note)
    if args.no_bytecode:
        print("bytecode: nearer's modules not compiled first (--no-bytecode)")
    else:
        # An installed package runs from compiled modules (pip compiles them; a first run caches them in
        # __pycache__), as pandas and statsmodels do in the reference process. Where
        # PYTHONDONTWRITEBYTECODE is set nothing is ever cached, and every run of `nearer loop fit`
        # would compile nearer's 2,500 lines of analysis code again (about 35 ms): compile them once here.
        import compileall

        ok = compileall.compile_dir(str(root / "nearer"), quiet=1)
        print(f"bytecode: nearer's modules compiled into __pycache__ first ({'done' if ok else 'FAILED'}; "
              f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})")
    with tempfile.TemporaryDirectory(prefix="nearer-loop-") as tmp:
        diary = Path(tmp) / "diary.csv"
        t0 = time.perf_counter()
        truth = write_diary_csv(diary, n_people, n_days)
        print(f"diary: {n_people:,} people x {n_days} days, {diary.stat().st_size / 2**20:,.0f} MB CSV "
              f"(written in {time.perf_counter() - t0:.1f} s)")
        ours_out = Path(tmp) / "ours.csv"
        methods: dict[str, list[str]] = {
            "nearer loop fit": [py, "-m", "nearer.cli", "loop", "fit", str(diary), "--out", str(ours_out)],
        }
        outputs = {"nearer loop fit": ours_out}
        if not args.big:
            rscript = shutil.which("Rscript")
            has_lme4 = rscript is not None and subprocess.run(
                [rscript, "-e", "suppressPackageStartupMessages(library(lme4))"], capture_output=True).returncode == 0
            if has_lme4:
                methods["R lme4"] = [str(rscript), str(here / "loop_lme4.R"), str(diary), str(Path(tmp) / "lme4.csv")]
                outputs["R lme4"] = Path(tmp) / "lme4.csv"
            else:
                print("R lme4: SKIPPED (Rscript or the lme4 package is not installed; on Debian: "
                      "apt-get install r-base-core r-cran-lme4)")
            methods["statsmodels loop"] = [py, str(here / "loop_statsmodels.py"), str(diary), str(Path(tmp) / "sm.csv")]
            outputs["statsmodels loop"] = Path(tmp) / "sm.csv"
        os.environ["PYTHONPATH"] = str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")
        names = list(methods)
        times: dict[str, list[tuple[float, float, float]]] = {k: [] for k in names}
        rounds = 1 if args.big else args.rounds
        # nearer's process lasts a fifth of a second, so one hiccup of a shared machine moves a single
        # run by half; it runs --ours-per-round times each round (medians and bests over all its runs),
        # the others, which last seconds and average such noise out themselves, once.
        per_round = {k: (1 if args.big or k != "nearer loop fit" else max(1, args.ours_per_round)) for k in names}
        if per_round["nearer loop fit"] > 1:
            print(f"nearer loop fit runs {per_round['nearer loop fit']} times a round, the others once")
        for r in range(rounds):
            order = names[r % len(names):] + names[: r % len(names)]
            for name in order:
                for _ in range(per_round[name]):
                    wall, cpu, peak, _ = run_process(methods[name])
                    times[name].append((wall, cpu, peak))
            print(f"round {r + 1}: " + "; ".join(
                f"{k} " + " ".join(f"{t[0]:.3f}" for t in times[k][-per_round[k]:]) + " s" for k in names
            ) + f" ({load()})")
        for name in names:
            w = [t[0] for t in times[name]]
            c = [t[1] for t in times[name]]
            print(f"{name}: wall {fmt(w, 1, 's', 2)}; CPU {fmt(c, 1, 's', 2)}; peak RSS {max(t[2] for t in times[name]):,.0f} MB")
        ours = "nearer loop fit"
        for name in names[1:]:
            for label, k in (("wall", 0), ("CPU", 1)):
                a = [t[k] for t in times[name]]
                b = [t[k] for t in times[ours]]
                print(f"speed-up of the whole `nearer loop fit` over {name}, {label} time: "
                      f"median/median {statistics.median(a) / statistics.median(b):,.1f}x, "
                      f"best/best {min(a) / min(b):,.1f}x")
        if args.big:
            peak = max(t[2] for t in times[ours])
            print(f"100,000 x 365 whole process: {times[ours][0][0]:.1f} s wall, {times[ours][0][1]:.1f} s CPU, "
                  f"peak RSS {peak:,.0f} MB (target < 2,048 MB: {'met' if peak < 2048 else 'NOT met'})")
        # Accuracy against the simulation's truth, over the people every method estimated.
        cols = ("mood_inertia", "closeness_to_mood", "mood_to_closeness", "closeness_inertia")
        est = {k: read_estimates(outputs[k], cols) for k in names}
        common = sorted(set.intersection(*(set(e) for e in est.values())))
        idx = np.array(common)
        print(f"accuracy (RMSE against the true per-person effects; {len(common):,} people estimated by every method; "
              "columns: mood inertia, closeness->mood, mood->closeness, closeness inertia, all four):")
        rmse = {}
        for k in names:
            e = np.array([est[k][i] for i in common])
            err = e - truth[idx]
            rmse[k] = (np.sqrt(np.mean(err**2, axis=0)), float(np.sqrt(np.mean(err**2))))
            print(f"  {k}: " + " ".join(f"{x:.4f}" for x in rmse[k][0]) + f" | {rmse[k][1]:.4f}")
        for name in names[1:]:
            ratio = rmse[ours][0] / rmse[name][0]
            print(f"  RMSE ratio nearer / {name}: " + " ".join(f"{x:.2f}" for x in ratio)
                  + f" | {rmse[ours][1] / rmse[name][1]:.2f} (below 1 = closer to the truth)")
    print(load())


def reader(args: argparse.Namespace) -> None:
    """The diary CSV readers side by side, in one process, interleaved rounds: the column-by-column
    pyarrow pass (what `nearer loop fit` uses for a valid file) and the line-by-line csv-module
    reader (the reference, still used for the messages of a file with problems)."""
    import tempfile

    from nearer.analysis.csvio import _read_fast, _read_lines

    print(load())
    with tempfile.TemporaryDirectory(prefix="nearer-reader-") as tmp:
        diary = Path(tmp) / "diary.csv"
        write_diary_csv(diary, 10_000, 90)
        print(f"diary: 10,000 people x 90 days, {diary.stat().st_size / 2**20:,.0f} MB CSV")
        _read_fast(diary)  # imports pyarrow (timed separately below)

        def lines() -> Any:
            with diary.open(newline="", encoding="utf-8-sig") as fh:
                return _read_lines(fh)

        fast_w, fast_c, slow_w, slow_c = [], [], [], []
        for _ in range(args.rounds):
            w, c, a = timed(lambda: _read_fast(diary), 1)
            fast_w += w
            fast_c += c
            w, c, b = timed(lines, 1)
            slow_w += w
            slow_c += c
        assert a is not None and a.person_ids == b.person_ids and np.array_equal(a.mood, b.mood)
        print(f"pyarrow, column by column: wall {fmt(fast_w)}; CPU {fmt(fast_c)}")
        print(f"csv module, line by line:  wall {fmt(slow_w)}; CPU {fmt(slow_c)}")
        print("  " + ratio_line("speed-up, wall", slow_w, fast_w))
        print("  " + ratio_line("speed-up, CPU", slow_c, fast_c))
    import subprocess

    cost = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import pyarrow, pyarrow.csv; "
                           "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
    print(f"importing pyarrow and pyarrow.csv in a fresh process: {float(cost.stdout) * 1e3:,.0f} ms")
    print(load())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--big", action="store_true", help="100,000 people x 365 days")
    ap.add_argument("--sample", type=int, default=500, help="people timed with statsmodels (then extrapolated)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="10k run: rounds of (engine calls, then one statsmodels run on the sample), interleaved "
                         "so both sides see the same machine load")
    ap.add_argument("--repeats", type=int, default=3, help="timed fit_loop calls per round (10k run)")
    ap.add_argument("--whole", action="store_true", help="whole processes from a diary CSV (see above)")
    ap.add_argument("--reader", action="store_true", help="the CSV readers side by side (see above)")
    ap.add_argument("--ours-per-round", type=int, default=5,
                    help="--whole: runs of `nearer loop fit` in each round (the reference processes run once)")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="--whole: do not compile nearer's modules first (with PYTHONDONTWRITEBYTECODE set, every "
                         "run then compiles them again)")
    args = ap.parse_args()
    if args.reader:
        reader(args)
        return
    if args.whole:
        whole(args)
        return
    n_people, n_days = (100_000, 365) if args.big else (10_000, 90)
    print(load())
    print(blas_info())

    t0 = time.perf_counter()
    if args.big:
        p, d, m, c = big_data(n_people, n_days)
    else:
        sim = simulate_diaries(n_people, n_days, np.random.default_rng(SEED))
        p, d, m, c = sim.observed()
        del sim
    data_mb = sum(a.nbytes for a in (p, d, m, c)) / 2**20
    print(f"data: {n_people:,} people x {n_days} days, {p.size:,} answered rows, {data_mb:,.0f} MB "
          f"({p.dtype}/{d.dtype}/{m.dtype}; simulated in {time.perf_counter() - t0:.1f} s); "
          f"peak RSS while loading {peak_rss_mb():,.0f} MB")
    load_peak = peak_rss_mb()

    fit_loop(p[:2000], d[:2000], m[:2000], c[:2000])  # warm-up (imports, first-call overhead)
    can_reset = reset_peak_rss()
    engine = lambda: fit_loop(p, d, m, c)  # noqa: E731
    wall, cpu, fit = timed(engine, 1)  # first timed call: also the memory measurement (statsmodels not loaded yet)
    since = peak_rss_since_reset_mb() if can_reset else None
    population = fit.population
    assert population is not None
    print(f"population steps {population.iterations}; mean pairs/person {fit.n_pairs.mean():.1f}")
    del fit
    if since is not None:
        print(f"peak RSS while fitting (whole process, incl. the {data_mb:,.0f} MB of data; mark reset after loading) "
              f"{since:,.0f} MB; with loading {max(load_peak, since):,.0f} MB")
    sm_wall: list[float] = []
    sm_cpu: list[float] = []
    round_ratios: list[float] = []
    if not args.big:
        people = np.linspace(0, n_people - 1, args.sample).round().astype(np.int64)
        run = statsmodels_per_person(p, d, m, c, people)
        fitted = run()  # warm-up
        scale = n_people / args.sample
        wall, cpu = [], []  # the first call above included first-touch costs: not counted
        for _ in range(args.rounds):
            w, cp, _ = timed(engine, args.repeats)
            sw, sc, _ = timed(run, 1)
            wall += w
            cpu += cp
            sm_wall.append(sw[0] * scale)
            sm_cpu.append(sc[0] * scale)
            round_ratios.append(sc[0] * scale / statistics.median(cp))
    print(f"fit_loop (pooled, all people), {len(wall)} call(s): wall {fmt(wall)}; CPU {fmt(cpu)}")
    # Where the time goes: the pairing pass alone, the fit with the population supplied (everything
    # but estimating the population) and the whole fit, interleaved so they share the machine's load.
    cpu_pairs, cpu_known, cpu_all = [], [], []
    for _ in range(1 if args.big else 7):
        cpu_pairs += timed(lambda: pair_statistics(p, d, m, c), 1)[1]
        cpu_known += timed(lambda: fit_loop(p, d, m, c, population=population), 1)[1]
        cpu_all += timed(engine, 1)[1]
    med = {k: statistics.median(v) * 1e3 for k, v in (("pairs", cpu_pairs), ("known", cpu_known), ("all", cpu_all))}
    print(f"breakdown (CPU medians of interleaved calls): finding pairs and per-person sums {med['pairs']:,.1f} ms; "
          f"OLS baseline and every person's posterior ~{med['known'] - med['pairs']:,.1f} ms; "
          f"estimating the population ~{med['all'] - med['known']:,.1f} ms (whole fit {med['all']:,.1f} ms)")
    wall_ols, cpu_ols, _ = timed(lambda: fit_ols_loop(p, d, m, c), 1 if args.big else 5)
    print(f"fit_ols_loop (no pooling, same pairs): wall {fmt(wall_ols)}; CPU {fmt(cpu_ols)}")
    if args.big:
        end = peak_rss_since_reset_mb() if can_reset else None
        overall = max(load_peak, end) if end is not None else peak_rss_mb()
        print(f"peak RSS of the whole process (loading and fitting) {overall:,.0f} MB")
        return

    print(f"statsmodels OLS per person (2 equations, {fitted} of {args.sample} evenly spaced people with >= 4 pairs), "
          f"timed once per round on the sample and EXTRAPOLATED x{scale:.0f} to {n_people:,} people: "
          f"wall {fmt(sm_wall, 1, 's')}; CPU {fmt(sm_cpu, 1, 's')}")
    print("speed-up of fit_loop (pooled) over the statsmodels loop, same process, rounds interleaved:")
    print("  " + ratio_line("CPU time", sm_cpu, cpu))
    print("  " + ratio_line("wall time", sm_wall, wall))
    print(f"  per round (statsmodels run / median engine call next to it, CPU): "
          f"{' '.join(f'{r:,.0f}x' for r in round_ratios)}")
    print("  " + ratio_line("fit_ols_loop (the model statsmodels fits), CPU time", sm_cpu, cpu_ols))
    for label, sm, ours in (("CPU", sm_cpu, cpu), ("wall", sm_wall, wall)):
        ok = statistics.median(ours) <= 1.0 and statistics.median(sm) / statistics.median(ours) >= 100
        print(f"targets in {label} time (median fit <= 1 s and >= 100x, median/median): {'met' if ok else 'NOT met'}")
    end_peak = peak_rss_since_reset_mb() if can_reset else None
    if end_peak is not None:
        print(f"peak RSS of the whole process at the end (statsmodels imported too) {max(load_peak, end_peak):,.0f} MB")
    print(load())


if __name__ == "__main__":
    main()
