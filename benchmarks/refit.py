"""The nightly population refit at clinic-network scale, on PostgreSQL: time and peak memory.

    .venv/bin/python benchmarks/refit.py                      # 100,000 people x 365 days
    .venv/bin/python benchmarks/refit.py --people 10000 --days 90

Creates its own database (``nearer_refit_<pid>_<time>``, a name no other run uses) on
127.0.0.1:5432 (user postgres, trust), migrates it, fills ``diary_checkin`` server-side with
``generate_series`` (about 86% of days answered, whole-number answers drifting per person, the
other columns at their defaults), then runs ``nearer loop refit`` (the operator command: the same
``refit_loops()`` the nightly job runs) as a separate process and reports its wall time, CPU time
and peak RSS, next to the cost of a plain ``SELECT count(*)`` over the table measured in the same
run (the floor of reading every row once). The database is dropped at the end.
Targets: under 2 minutes and 2 GB. Prints the load average with each figure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432/{name}"


def load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def fill(db: str, n_people: int, n_days: int) -> float:
    t0 = time.perf_counter()
    psql("INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined, email, display_name, "
         "role, language, timezone) SELECT '!', false, false, true, now(), 'refit' || g || '@example.test', '', "
         f"'person', 'en', 'UTC' FROM generate_series(1, {n_people}) g", db)
    # The table is UNLOGGED for the fill (this database is thrown away): writing 36 M rows with WAL
    # took longer than the session had on a loaded machine. Reading it is the same either way.
    psql("ALTER TABLE diary_checkin SET UNLOGGED", db)
    # A slowly drifting mood and closeness per person (a random walk would need a window function;
    # a per-person level plus a weekly wave and noise is enough for timing and memory).
    psql("SET synchronous_commit = off; INSERT INTO diary_checkin (local_date, mood, closeness, shared_personal, held_back, "
         "felt_heard, felt_accepted, stressors, own_stressors, note, is_late, source, created_at, updated_at, person_id) "
         "SELECT DATE '2025-01-01' + d, "
         "least(10, greatest(0, round(5 + 2 * sin(u.id) + 1.5 * sin(d / 7.0 + u.id) + 2 * (random() - 0.5))))::int2, "
         "least(10, greatest(0, round(6 + 2 * cos(u.id) + 1.5 * cos(d / 9.0 + u.id) + 2 * (random() - 0.5))))::int2, "
         "'not_today', 'not_today', 'not_today', 'not_today', '[]'::jsonb, '', '', false, 'web', now(), now(), u.id "
         f"FROM accounts_user u CROSS JOIN generate_series(0, {n_days - 1}) d WHERE random() < 0.86", db)
    psql("VACUUM ANALYZE diary_checkin", db)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = ap.parse_args()
    db = f"nearer_refit_{os.getpid()}_{int(time.time())}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nearer.settings_test", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": PG.format(name=db), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    print(load())
    psql(f"CREATE DATABASE {db}")
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        took = fill(db, args.people, args.days)
        rows = int(psql("SELECT count(*) FROM diary_checkin", db))
        size = psql("SELECT pg_size_pretty(pg_total_relation_size('diary_checkin'))", db)
        print(f"database {db}: {args.people:,} people x {args.days} days, {rows:,} check-ins ({size}), filled in {took:.0f} s")
        t0 = time.perf_counter()
        psql("SELECT count(*), sum(mood), sum(closeness) FROM diary_checkin", db)
        scan = time.perf_counter() - t0
        print(f"reference: one SELECT count(*), sum(mood), sum(closeness) over the table: {scan:.1f} s ({load()})")
        for _ in range(1):
            t0 = time.perf_counter()
            proc = subprocess.Popen([PY, "-m", "nearer.cli", "loop", "refit"], cwd=ROOT, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            out = proc.stdout.read().decode() if proc.stdout else ""
            err = proc.stderr.read().decode() if proc.stderr else ""
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"refit failed: {err[-2000:]}")
            peak = usage.ru_maxrss / 1024.0
            cpu = usage.ru_utime + usage.ru_stime
            print(out.strip())
            print(f"`nearer loop refit` whole process: wall {wall:.1f} s, CPU {cpu:.1f} s, peak RSS {peak:,.0f} MB; "
                  f"{wall / scan:.1f}x the plain scan ({load()})")
            print(f"per million check-ins: {wall / rows * 1e6:.2f} s wall, {cpu / rows * 1e6:.2f} s CPU")
            print(f"targets (< 120 s, < 2,048 MB): time {'met' if wall < 120 else 'NOT met'}, "
                  f"memory {'met' if peak < 2048 else 'NOT met'}"
                  + ("" if (args.people, args.days) == (100_000, 365) else " (at this size, not 100,000 x 365)"))
    finally:
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        else:
            print(f"kept database {db}")


if __name__ == "__main__":
    main()
