"""Load: `nearer serve` in production settings with PostgreSQL and Redis, people and a 200-client caseload.

A fixed offered rate (open loop: request *i* is due at ``start + i / rate``, whether or not earlier
ones have finished) is sent by a thread pool with ``http.client``. Latency is measured from the moment
a request was due to the end of its response, so a server that falls behind shows it. The mix:

* 5 % ``GET /healthz`` (a bare Django view with one ``SELECT 1``): the reference on the same server
  in the same run;
* 10 % the therapist's caseload page ``GET /clinic/caseload/`` (session cookie, MFA done; every one
  of the ``--people`` people, 200 by default, is their client, each with ``--days`` days of check-ins);
* the rest people in turn, each walking through: their home page ``GET /`` (session cookie), today's
  check-in ``POST /api/diary/checkins`` (their API token; a new ``Idempotency-Key`` each time, so the
  first creates the day and later ones update it), their loop page ``GET /diary/loop/``, home again.

    .venv/bin/python benchmarks/load.py                      # 50 requests/s for 60 s
    .venv/bin/python benchmarks/load.py --rate 25 --seconds 30

The server is ``python -m nearer.cli serve --no-migrate --workers N`` with ``NEARER_ENV=production``
(secrets from this script, plain HTTP on loopback: secure cookies and the HTTPS redirect off),
``DATABASE_URL`` a database of its own (``nearer_load_<pid>_<time>``, created and dropped by this
run) and ``NEARER_REDIS_URL`` (``--redis``, default db 13 on 127.0.0.1:6379), so home cards are
cached. CPU per request is the server's process tree (master and workers, from /proc) over the
measured window divided by the requests completed; PostgreSQL's CPU is not in it.
Target: p99 under 300 ms at 50 requests/s with 0 errors on a 2-core machine; prints whether it was
met and ``os.getloadavg()`` (other work on the machine shows there).
"""

from __future__ import annotations

import argparse
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

SEED = r"""
import json, random, secrets, sys, datetime as dt
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)  # as an operator does before serving (docs/operating.md)
from django.conf import settings
from django.test import Client
from conftest import make_user
from nearer.testing import sign_in
from nearer.accounts.models import ApiToken, Link, User, hash_token
from nearer.diary.models import CheckIn, local_today
from nearer.privacy.scopes import default_scopes
n_people, days, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(5)
people = User.objects.bulk_create([User(email=f"load{i}@example.test", role="person", password="!",
                                        display_name=f"Load {i}") for i in range(n_people)])
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
th = make_user("load.therapist@example.test", "therapist", "Dr. Load", mfa=True)
Link.objects.bulk_create([Link(owner=p, viewer=th, kind="therapist", scopes=default_scopes("therapist")) for p in people])
call_command("loop", "refit")  # the nightly job's work, done once before the run
def session(user):
    c = Client()
    if user.is_therapist:
        sign_in(c, user)  # a session that passed the second factor, like a real sign-in
    else:
        c.force_login(user)
    return c.cookies[settings.SESSION_COOKIE_NAME].value
json.dump({"tokens": tokens, "people_sessions": [session(p) for p in people], "therapist_session": session(th),
           "checkins": len(rows), "today": today.isoformat()}, open(out, "w"))
"""


def production_env(db: str, redis: str, key_spec: str) -> dict[str, str]:
    """Production settings for a server on loopback: plain HTTP (secure cookies and the HTTPS redirect
    off), its own PostgreSQL database and Redis; SMTP to a closed local port (the mix sends no mail,
    and production refuses the console backend)."""
    return {"DJANGO_SETTINGS_MODULE": "nearer.settings", "NEARER_ENV": "production",
            "NEARER_SECRET_KEY": os.urandom(32).hex(), "NEARER_ENCRYPTION_KEYS": key_spec,
            "NEARER_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "NEARER_SECURE_COOKIES": "false",
            "NEARER_SSL_REDIRECT": "false", "NEARER_BEHIND_PROXY": "false", "NEARER_HSTS_SECONDS": "0",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}", "NEARER_REDIS_URL": redis,
            "NEARER_EMBEDDED_SCHEDULER": "false", "NEARER_LOG_LEVEL": "ERROR", "NEARER_DB_CONN_MAX_AGE": "600",
            "NEARER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "NEARER_EMAIL_HOST": "127.0.0.1",
            "NEARER_EMAIL_PORT": "9"}


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

    STEPS = ("home", "checkin_post", "loop", "home")

    def __init__(self, tokens: list[str], sessions: list[str], therapist: str) -> None:
        self.tokens = tokens
        self.sessions = sessions
        self.therapist = therapist
        self.step = [0] * len(tokens)
        self.next_person = 0
        self.lock = threading.Lock()

    def request(self, i: int) -> tuple[str, str, str, dict[str, str], str | None, int | None]:
        """(kind, method, path, headers, body, person index)."""
        if i % 20 == 0:
            return "healthz", "GET", "/healthz", {}, None, None
        if i % 10 == 5:
            return "caseload", "GET", "/clinic/caseload/", {"Cookie": f"sessionid={self.therapist}"}, None, None
        with self.lock:
            p = self.next_person
            self.next_person = (p + 1) % len(self.tokens)
            step = self.step[p]
            self.step[p] += 1
        kind = self.STEPS[step % len(self.STEPS)]
        cookie = {"Cookie": f"sessionid={self.sessions[p]}"}
        if kind == "home":
            return "home", "GET", "/", cookie, None, p
        if kind == "loop":
            return "loop", "GET", "/diary/loop/", cookie, None, p
        h = {"Authorization": f"Bearer {self.tokens[p]}", "Content-Type": "application/json",
             "Idempotency-Key": f"load-{p}-{step}"}
        body = json.dumps({"mood": (5 + p + step) % 11, "closeness": (4 + p) % 11, "felt_heard": "yes"})
        return "checkin_post", "POST", "/api/diary/checkins", h, body, p


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children still alive, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return total


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
    ap.add_argument("--people", type=int, default=200, help="people, all clients of the one therapist")
    ap.add_argument("--days", type=int, default=60, help="days of check-in history per person")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=32, help="client threads")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="NEARER_REDIS_URL (a db index of its own)")
    args = ap.parse_args()

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    db = f"nearer_load_{os.getpid()}_{int(time.time())}"
    sys.path.insert(0, str(ROOT))
    from nearer.privacy.crypto import generate_key_spec

    env = {**os.environ, "PYTHONPATH": str(ROOT), **production_env(db, args.redis, generate_key_spec())}
    _psql(f"CREATE DATABASE {db}")
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="nearer-load-") as tmp:
            out = Path(tmp) / "seed.json"
            t0 = time.perf_counter()
            subprocess.run([PY, "-c", SEED, str(args.people), str(args.days), str(out)], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            seed = json.loads(out.read_text())
        print(f"seeded {args.people} people ({seed['checkins']} check-ins), one therapist with MFA and all of them "
              f"as clients, in {time.perf_counter() - t0:.1f} s (database {db})")
        port = _free_port()
        t0 = time.perf_counter()
        server = subprocess.Popen([PY, "-m", "nearer.cli", "serve", "--no-migrate", "--host", "127.0.0.1",
                                   "--port", str(port), "--workers", str(args.workers)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_up(port)
        print(f"nearer serve answered its first request {time.perf_counter() - t0:.1f} s after start "
              f"(load {os.getloadavg()[0]:.2f})")
        # Warm each worker's connection and imports (not measured).
        drive(port, Plan(seed["tokens"], seed["people_sessions"], seed["therapist_session"]), 20, 2, 8)
        FIRST_ERROR.clear()
        plan = Plan(seed["tokens"], seed["people_sessions"], seed["therapist_session"])
        cpu0 = _tree_cpu(server.pid)
        latencies, errors, elapsed = drive(port, plan, args.rate, args.seconds, args.threads)
        server_cpu = _tree_cpu(server.pid) - cpu0
        load = os.getloadavg()
    finally:
        if server is not None:
            import signal

            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        _psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    total = sum(len(v) for v in latencies.values())
    n_err = sum(sum(v.values()) for v in errors.values())
    app = [x for k, v in latencies.items() if k != "healthz" for x in v]
    print(f"\noffered {args.rate:g} req/s for {args.seconds:g} s; nearer serve --workers {args.workers} "
          f"(gunicorn, 4 threads each), production settings, PostgreSQL and Redis on loopback; "
          f"client threads {args.threads}")
    print(f"completed {total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s; errors {n_err}")
    print(f"server CPU {server_cpu:.1f} s over the run: {server_cpu / max(total, 1) * 1e3:.1f} ms per request "
          f"(master and workers; PostgreSQL and Redis not included)")
    print(f"{'kind':<15}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}")
    for kind in ("healthz", "home", "checkin_post", "loop", "caseload"):
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
    met = p99 < 0.300 and n_err == 0
    print(f"target p99 < 300 ms with 0 errors at {args.rate:g} req/s: {'met' if met else 'NOT met'} "
          f"(p99 {p99 * 1e3:.0f} ms, errors {n_err})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load)}")
    sys.exit(0 if n_err == 0 else 1)


if __name__ == "__main__":
    main()
