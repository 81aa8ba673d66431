"""Load: gunicorn + PostgreSQL on loopback, 200 people checking in and a few therapists opening caseloads.

A fixed offered rate (open loop: request *i* is due at ``start + i / rate``, whether or not earlier
ones have finished) is sent by a thread pool with ``http.client``. Latency is measured from the moment
a request was due to the end of its response, so a server that falls behind shows it. The mix:

* 10 % ``GET /healthz`` (a bare Django view with one ``SELECT 1``): the reference on the same server
  in the same run;
* 5 % a therapist's caseload page ``GET /clinic/caseload/`` (session cookie; 50 clients each, with
  60 days of check-ins);
* the rest people through the API with their own token: each person's first request is today's
  check-in ``POST /api/diary/checkins`` (with an ``Idempotency-Key``), then, in turn, their recent
  check-ins ``GET /api/diary/checkins?since=...``, an edit ``PATCH /api/diary/checkins/{id}`` and
  their trends ``GET /api/diary/trends``.

    .venv/bin/python benchmarks/load.py                      # 50 requests/s for 60 s
    .venv/bin/python benchmarks/load.py --rate 100 --seconds 30

Uses a temporary database ``nearer_load`` on 127.0.0.1:5432 (user postgres, trust auth), dropped at
the end. Target: p99 under 200 ms at 50 requests/s on a 2-core machine; prints whether it was met,
the figures per kind of request, and ``os.getloadavg()`` (other work on the machine shows there).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DB = "nearer_load"

SEED = r"""
import json, random, secrets, sys, datetime as dt
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from django.test import Client
from conftest import make_user
from nearer.testing import sign_in
from nearer.accounts.models import ApiToken, Link, User, hash_token
from nearer.diary.models import CheckIn, local_today
from nearer.privacy.scopes import default_scopes
n_people, n_therapists, days, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(5)
people = User.objects.bulk_create([User(email=f"load{i}@example.test", role="person", password="!") for i in range(n_people)])
tokens = [ApiToken.PREFIX + secrets.token_urlsafe(24) for _ in people]
ApiToken.objects.bulk_create([ApiToken(user=p, name="load", token_hash=hash_token(s), hint=s[-4:]) for p, s in zip(people, tokens)])
today = local_today(people[0])
rows = []
for p in people:
    mood, close = rng.randint(3, 7), rng.randint(3, 7)
    for k in range(days, 0, -1):
        if rng.random() < 0.8:
            mood = min(10, max(0, mood + rng.choice((-1, 0, 1))))
            close = min(10, max(0, close + rng.choice((-1, 0, 1))))
            rows.append(CheckIn(person=p, local_date=today - dt.timedelta(days=k), mood=mood, closeness=close))
CheckIn.objects.bulk_create(rows, batch_size=2000)
sessions = []
for t in range(n_therapists):
    th = make_user(f"load.therapist{t}@example.test", "therapist", f"Dr. Load {t}", mfa=True)
    Link.objects.bulk_create([Link(owner=p, viewer=th, kind="therapist", scopes=default_scopes("therapist"))
                              for p in people[t::n_therapists]])
    c = Client()
    sign_in(c, th)  # a session that passed the second factor, like a real sign-in
    sessions.append(c.cookies[settings.SESSION_COOKIE_NAME].value)
json.dump({"tokens": tokens, "sessions": sessions, "checkins": len(rows), "today": today.isoformat()}, open(out, "w"))
"""


def _psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", db, "-XAtqc", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(port: int, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    raise RuntimeError("server did not come up")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


FIRST_ERROR: dict[str, str] = {}  # kind -> the first error body (synthetic data only)


class Plan:
    """What request *i* is: thread-safe, each person walks through their own sequence."""

    def __init__(self, tokens: list[str], sessions: list[str], today: str) -> None:
        self.tokens = tokens
        self.sessions = sessions
        self.since = (dt.date.fromisoformat(today) - dt.timedelta(days=14)).isoformat()
        self.step = [0] * len(tokens)
        self.checkin_id: dict[int, int] = {}
        self.next_person = 0
        self.lock = threading.Lock()

    def request(self, i: int) -> tuple[str, str, str, dict[str, str], str | None, int | None]:
        """(kind, method, path, headers, body, person index)."""
        if i % 10 == 0:
            return "healthz", "GET", "/healthz", {}, None, None
        if i % 20 == 5:
            cookie = self.sessions[(i // 20) % len(self.sessions)]
            return "caseload", "GET", "/clinic/caseload/", {"Cookie": f"sessionid={cookie}"}, None, None
        with self.lock:
            p = self.next_person
            self.next_person = (p + 1) % len(self.tokens)
            step = self.step[p]
            self.step[p] += 1
            cid = self.checkin_id.get(p)
        h = {"Authorization": f"Bearer {self.tokens[p]}", "Content-Type": "application/json"}
        if step == 0 or cid is None:
            h["Idempotency-Key"] = f"load-{p}"
            body = json.dumps({"mood": 5 + p % 3, "closeness": 4 + p % 4, "felt_heard": "yes"})
            return "checkin_post", "POST", "/api/diary/checkins", h, body, p
        kind = ("list", "patch", "trends")[(step - 1) % 3]
        if kind == "list":
            return "checkins_get", "GET", f"/api/diary/checkins?since={self.since}", h, None, p
        if kind == "patch":
            return "checkin_patch", "PATCH", f"/api/diary/checkins/{cid}", h, json.dumps({"mood": step % 11}), p
        return "trends_get", "GET", "/api/diary/trends", h, None, p


def drive(port: int, plan: Plan, rate: float, seconds: float, threads: int) -> tuple[dict[str, list[float]], dict[str, dict[int, int]], float]:
    latencies: dict[str, list[float]] = {}
    errors: dict[str, dict[int, int]] = {}
    lock = threading.Lock()
    first_error = FIRST_ERROR
    local = threading.local()

    def conn() -> http.client.HTTPConnection:
        c = getattr(local, "c", None)
        if c is None:
            c = local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        return c

    def one(i: int, due: float) -> None:
        kind, method, path, headers, body, person = plan.request(i)
        status = 0
        data = b""
        for attempt in range(2):  # a kept-alive connection the server closed is reopened once
            try:
                c = conn()
                c.request(method, path, body, headers)
                r = c.getresponse()
                data = r.read()
                status = r.status
                break
            except (OSError, http.client.HTTPException):
                local.c = None
                if attempt:
                    status = -1
        took = time.perf_counter() - due
        ok = 200 <= status < 300
        with lock:
            latencies.setdefault(kind, []).append(took)
            if not ok:
                first_error.setdefault(kind, data[:300].decode("utf-8", "replace"))
                errors.setdefault(kind, {})
                errors[kind][status] = errors[kind].get(status, 0) + 1
        if ok and kind == "checkin_post" and person is not None:
            with plan.lock:
                plan.checkin_id[person] = int(json.loads(data)["id"])

    n = int(rate * seconds)
    start = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for i in range(n):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i, due)
    elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--rate", type=float, default=50.0, help="offered requests per second")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--people", type=int, default=200)
    ap.add_argument("--therapists", type=int, default=4)
    ap.add_argument("--days", type=int, default=60, help="days of check-in history per person")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=32, help="client threads")
    args = ap.parse_args()

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nearer.settings_test", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "NEARER_EMBEDDED_SCHEDULER": "false",
           "NEARER_LOG_LEVEL": "ERROR", "NEARER_DB_CONN_MAX_AGE": "600"}
    _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB}")
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="nearer-load-") as tmp:
            out = Path(tmp) / "seed.json"
            t0 = time.perf_counter()
            subprocess.run([PY, "-c", SEED, str(args.people), str(args.therapists), str(args.days), str(out)],
                           cwd=ROOT, env=env, check=True)
            seed = json.loads(out.read_text())
        print(f"seeded {args.people} people ({seed['checkins']} check-ins), {args.therapists} therapists "
              f"with MFA in {time.perf_counter() - t0:.1f} s")
        port = _free_port()
        server = subprocess.Popen([PY, "-m", "gunicorn", "nearer.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                   "--workers", str(args.workers), "--log-level", "error", "--preload",
                                   "--keep-alive", "30"], cwd=ROOT, env=env)
        _wait_up(port)
        plan = Plan(seed["tokens"], seed["sessions"], seed["today"])
        # Warm each worker's connection and imports (not measured).
        drive(port, Plan(seed["tokens"], seed["sessions"], seed["today"]), 20, 1, 8)
        plan.checkin_id.clear()
        FIRST_ERROR.clear()
        latencies, errors, elapsed = drive(port, plan, args.rate, args.seconds, args.threads)
        load = os.getloadavg()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")

    total = sum(len(v) for v in latencies.values())
    n_err = sum(sum(v.values()) for v in errors.values())
    app = [x for k, v in latencies.items() if k != "healthz" for x in v]
    print(f"\noffered {args.rate:g} req/s for {args.seconds:g} s; gunicorn --workers {args.workers} (sync), "
          f"PostgreSQL on loopback; client threads {args.threads}")
    print(f"completed {total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s; errors {n_err}")
    print(f"{'kind':<15}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}")
    for kind in ("healthz", "checkin_post", "checkins_get", "checkin_patch", "trends_get", "caseload"):
        v = latencies.get(kind, [])
        errs = sum(errors.get(kind, {}).values())
        print(f"{kind:<15}{len(v):>6}{_pct(v, .5) * 1e3:>10.1f}{_pct(v, .99) * 1e3:>10.1f}"
              f"{(max(v) if v else float('nan')) * 1e3:>10.1f}{errs:>8}")
    h = latencies.get("healthz", [])
    p50, p99 = _pct(app, .5), _pct(app, .99)
    print(f"{'app (not healthz)':<15}{len(app):>6}{p50 * 1e3:>10.1f}{p99 * 1e3:>10.1f}")
    print(f"ratio to the bare endpoint: p50 {p50 / _pct(h, .5):.1f}x, p99 {p99 / _pct(h, .99):.1f}x")
    if errors:
        print(f"errors by kind and status: {errors}; first bodies: {FIRST_ERROR}")
    met = p99 < 0.200 and n_err == 0
    print(f"target p99 < 200 ms with 0 errors at {args.rate:g} req/s: {'met' if met else 'NOT met'} "
          f"(p99 {p99 * 1e3:.0f} ms, errors {n_err})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load)}")
    sys.exit(0 if n_err == 0 else 1)


if __name__ == "__main__":
    main()
