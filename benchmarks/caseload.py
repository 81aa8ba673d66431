"""Clinic: server time of the caseload page for a therapist with 200 clients x 1 year of data.

Prints figures; nothing here is asserted. Run from the repository root:
    .venv/bin/python benchmarks/caseload.py [--clients 200] [--repeats 25]
Uses a fresh temporary SQLite file. Reference in the same run: ``/healthz`` (a bare Django view
returning a tiny response, one ``SELECT 1``) through the same test client and middleware.
Target: median caseload request <= 150 ms; the query count does not depend on the caseload size.
``--profile`` prints the top of a cProfile run over the timed requests (pyinstrument is not a dependency).
The machine may be shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import tempfile
import time

_tmp = tempfile.mkdtemp(prefix="nearer-bench-")
os.environ["NEARER_SQLITE_PATH"] = os.path.join(_tmp, "caseload.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings_test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(n_clients: int, seed: int = 42) -> object:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from nearer.accounts.models import Clinic, User
    from nearer.clinic import fixtures
    from nearer.measures.models import DueMeasure, Schedule

    clinic = Clinic.objects.create(name="Bench Clinic", city="Atlanta", state="GA")
    therapist = User.objects.create_user("bench.therapist@example.test", None, display_name="Dr. Bench", role="therapist",
                                         clinic=clinic)
    TOTP.activate(therapist, generate_totp_secret())
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    now = timezone.now()
    due = []
    for i in range(n_clients):
        c = fixtures.make_client(f"bench{i:03d}@example.test", f"Client {i:03d}", therapist)
        start = float(rng.uniform(8, 20))
        end = float(np.clip(start + rng.normal(-4, 5), 0, 27))
        phq = [float(round(np.clip(start + (end - start) * k / 25 + rng.normal(0, 1.5), 0, 27))) for k in range(26)]
        fixtures.add_history(c, days=365, end=today, phq9=phq, rng=rng, mood_start=float(rng.uniform(3, 6)),
                             mood_end=float(rng.uniform(3, 8)), gap_every=int(rng.choice([0, 5, 7, 9])))
        sched = Schedule.objects.create(person=c, instrument_id="phq9", cadence_days=14, set_by=therapist, set_by_role="therapist")
        for k in range(26):
            at = now - timezone.timedelta(days=14 * k)
            state = "open" if k == 0 else ("missed" if rng.random() < 0.1 else "completed")
            due.append(DueMeasure(schedule=sched, person=c, instrument_id="phq9", due_at=at,
                                  window_ends_at=at + timezone.timedelta(days=4), state=state))
        if i % 25 == 0:
            fixtures.add_alert(c, therapist, level="urgent" if i % 50 == 0 else "concern")
    DueMeasure.objects.bulk_create(due, batch_size=2000)
    return therapist


def timed(client: Client, url: str, repeats: int) -> tuple[list[float], list[float], int, int]:
    """Wall-clock and CPU milliseconds per request (CPU time of this process: the server and SQLite
    both run in it, so on a loaded machine it is the steadier of the two)."""
    client.get(url)  # warm caches (templates, translations)
    times, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter_ns(), time.process_time_ns()
        response = client.get(url)
        times.append((time.perf_counter_ns() - t) / 1e6)
        cpu.append((time.process_time_ns() - c) / 1e6)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return times, cpu, len(ctx.captured_queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")
    args = parser.parse_args()
    try:
        run(args)
    finally:
        shutil.rmtree(_tmp, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    therapist = build(args.clients)
    from nearer.diary.models import CheckIn
    from nearer.measures.models import Administration

    print(f"data: {args.clients} clients, {CheckIn.objects.count()} check-ins, {Administration.objects.count()} PHQ-9s "
          f"(built in {time.perf_counter() - t:.1f} s, SQLite file {os.environ['NEARER_SQLITE_PATH']})")
    client = Client()
    from nearer.testing import sign_in

    sign_in(client, therapist)  # a session that passed the second factor
    page, page_cpu, n_queries, status = timed(client, "/clinic/caseload/", args.repeats)
    ref, ref_cpu, ref_queries, _ = timed(client, "/healthz", args.repeats)
    med, ref_med = statistics.median(page), statistics.median(ref)
    print(f"caseload page: status {status}, median {med:.1f} ms, p90 {np.percentile(page, 90):.1f} ms, "
          f"min {min(page):.1f} ms over {args.repeats} requests; {n_queries} SQL queries per request")
    print(f"caseload page CPU time: median {statistics.median(page_cpu):.1f} ms, min {min(page_cpu):.1f} ms")
    print(f"reference /healthz: median {ref_med:.2f} ms, CPU median {statistics.median(ref_cpu):.2f} ms "
          f"({ref_queries} queries); ratio {med / ref_med:.0f}x (CPU {statistics.median(page_cpu) / statistics.median(ref_cpu):.0f}x)")
    print(f"target median <= 150 ms: {'met' if med <= 150 else 'NOT met'}")
    load = os.getloadavg()
    print(f"load average (1, 5, 15 min): {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} on {os.cpu_count()} CPUs")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            client.get("/clinic/caseload/")
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
