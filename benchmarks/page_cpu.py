"""Server CPU per request of the load mix's pages, in production settings, one request at a time.

The pages of ``benchmarks/load.py`` (a person's home page, today's check-in ``POST``, the loop page,
the therapist's 200-client caseload) and the bare ``/healthz`` as the reference, each requested
``--repeats`` times (200) after ``--warmup`` requests through Django's test client in this process,
with the same production settings, PostgreSQL database and Redis as ``load.py`` (seeded by its
script: 200 people with 60 days of check-ins, all clients of one therapist with MFA). The CPU is
``time.process_time()`` of this process around the requests: Django, the templates and the database
driver, not PostgreSQL's or Redis's own work. Each person's home page is requested once per round
with Redis (warm cards, as in the load mix after the first visit) and, as ``home (cold)``, with
the per-person cache off (every card computed: the no-Redis set-up). Prints CPU ms per request,
wall ms, queries per request, and each page's CPU as a multiple of ``/healthz``'s in the same run;
the load average is printed too (the machine may be shared).

    .venv/bin/python benchmarks/page_cpu.py [--repeats 200] [--people 200] [--days 60]
    .venv/bin/python benchmarks/page_cpu.py --profile home      # pyinstrument, if installed

Nothing is asserted here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("healthz", "home", "home (cold)", "checkin_post", "loop", "caseload")


def _load_module() -> object:
    spec = importlib.util.spec_from_file_location("nearer_bench_load", ROOT / "benchmarks" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--repeats", type=int, default=200, help="measured requests per page")
    ap.add_argument("--warmup", type=int, default=30, help="requests per page before measuring")
    ap.add_argument("--people", type=int, default=200)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    ap.add_argument("--profile", choices=PAGES, help="print a pyinstrument profile of this page's measured requests")
    ap.add_argument("--cpu-profile", choices=PAGES, help="print the top of a cProfile run of this page's measured "
                    "requests, timed in CPU (not wall) time")
    ap.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    ap.add_argument("--callers", help="with --cpu-profile: also print who calls the functions matching this")
    args = ap.parse_args()

    load = _load_module()
    sys.path.insert(0, str(ROOT))
    from nearer.privacy.crypto import generate_key_spec

    db = f"nearer_cpu_{os.getpid()}_{int(time.time())}"
    env = load.production_env(db, args.redis, generate_key_spec())  # type: ignore[attr-defined]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    load._psql(f"CREATE DATABASE {db}")  # type: ignore[attr-defined]
    try:
        with tempfile.TemporaryDirectory(prefix="nearer-cpu-") as tmp:
            out = Path(tmp) / "seed.json"
            subprocess.run([sys.executable, "-c", load.SEED, str(args.people), str(args.days), str(out)],  # type: ignore[attr-defined]
                           cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)}, check=True,
                           stdout=subprocess.DEVNULL)
            seed = json.loads(out.read_text())
        os.environ.update(env)
        _measure(args, seed)
    finally:
        from django.db import connections

        connections.close_all()
        load._psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")  # type: ignore[attr-defined]


def _measure(args: argparse.Namespace, seed: dict[str, object]) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    cache.clear()
    people = list(seed["people_sessions"])  # type: ignore[call-overload]
    tokens = list(seed["tokens"])  # type: ignore[call-overload]
    therapist = str(seed["therapist_session"])
    cookie = settings.SESSION_COOKIE_NAME
    counter = {"i": 0}

    def client_for(session: str) -> Client:
        c = Client()
        c.cookies[cookie] = session
        return c

    person_clients = [client_for(s) for s in people]
    therapist_client = client_for(therapist)
    api = Client()

    def request(page: str) -> int:
        i = counter["i"]
        counter["i"] += 1
        p = i % len(people)
        if page == "healthz":
            r = api.get("/healthz")
        elif page == "home":
            r = person_clients[p].get("/")
        elif page == "home (cold)":
            with override_settings(NEARER_HOME_CACHE=False):
                r = person_clients[p].get("/")
        elif page == "loop":
            r = person_clients[p].get("/diary/loop/")
        elif page == "caseload":
            r = therapist_client.get("/clinic/caseload/")
        else:
            body = json.dumps({"mood": (5 + i) % 11, "closeness": (4 + p) % 11, "felt_heard": "yes"})
            r = api.post("/api/diary/checkins", body, content_type="application/json",
                         headers={"Authorization": f"Bearer {tokens[p]}", "Idempotency-Key": f"cpu-{p}-{i}"})
        return int(r.status_code)

    results: dict[str, tuple[float, float, float]] = {}
    for page in PAGES:
        for _k in range(args.warmup):
            request(page)
        if page == "home":
            counter["i"] = 0
            for _k in people:  # every person's cards in Redis: the measured home pages are warm
                request(page)
        profiler = None
        if args.profile == page:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        cprof = None
        if args.cpu_profile == page:
            import cProfile

            cprof = cProfile.Profile(time.process_time)
            cprof.enable()
        statuses: dict[int, int] = {}
        count = {"n": 0}

        def counted(execute: Any, sql: str, params: Any, many: bool, context: Any, count: dict[str, int] = count) -> Any:
            count["n"] += 1
            return execute(sql, params, many, context)

        wrapper = connection.execute_wrapper(counted)
        wrapper.__enter__()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _k in range(args.repeats):
            s = request(page)
            statuses[s] = statuses.get(s, 0) + 1
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        wrapper.__exit__(None, None, None)
        queries = count["n"]
        if cprof is not None:
            import io
            import pstats

            cprof.disable()
            out = io.StringIO()
            stats = pstats.Stats(cprof, stream=out).sort_stats(args.sort)
            stats.print_stats(60)
            if args.callers:
                stats.print_callers(args.callers)
            print(out.getvalue())
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
        bad = {k: v for k, v in statuses.items() if k >= 400}
        if bad:
            print(f"{page}: answers {statuses}")
        results[page] = (cpu / args.repeats, wall / args.repeats, queries / args.repeats)

    ref = results["healthz"][0]
    print(f"\n{args.repeats} requests per page after {args.warmup} to warm up; production settings, "
          f"PostgreSQL and Redis on loopback, Django's test client in one process")
    print(f"{'page':<15}{'CPU ms':>9}{'wall ms':>9}{'queries':>9}{'x healthz':>11}")
    for page in PAGES:
        cpu, wall, q = results[page]
        print(f"{page:<15}{cpu * 1e3:>9.2f}{wall * 1e3:>9.2f}{q:>9.1f}{cpu / ref:>11.1f}")
    mix = ["home", "checkin_post", "loop", "home"] * 17 + ["caseload"] * 8 + ["healthz"] * 4  # load.py's shares
    per = sum(results[k][0] for k in mix) / len(mix)
    print(f"load mix (as load.py: 5 % healthz, 10 % caseload, the rest home/check-in/loop/home): "
          f"{per * 1e3:.1f} ms CPU per request; at 50 requests/s {per * 50:.2f} cores")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
