"""Crash safety: gunicorn (loopback) killed with SIGKILL at random moments under write load.

Many people (one API token each) check in for today through ``POST /api/diary/checkins`` with an
``Idempotency-Key``; a request that gets no answer (the server died) is retried with the same key
until it gets one. Some check-ins carry words the safety screener flags, so the check-in and its risk
event are written in the same request; every tenth person also presses "I'm not safe"
(``POST /api/safety/not-safe``). Meanwhile the whole gunicorn process group is killed with SIGKILL at
random moments and restarted. Afterwards:

* every check-in that got a 2xx is stored, with the id it was acknowledged with, and none twice
  (one per person, one per key);
* every flagged check-in that got a 2xx has exactly one risk event, and every "I'm not safe" that
  got a 2xx left its risk event (and an alert for the linked therapist);
* SQLite: ``PRAGMA integrity_check`` says ok; PostgreSQL: ``amcheck`` finds every B-tree index of
  the checked tables sound.

    .venv/bin/python benchmarks/crash.py --kills 200              # the full run, SQLite file
    .venv/bin/python benchmarks/crash.py --kills 200 --postgres   # the same on PostgreSQL
    .venv/bin/python benchmarks/crash.py --kills 20               # what tests/test_production_crash.py runs
    .venv/bin/python benchmarks/crash.py --kills 50 --serve       # `nearer serve` (gunicorn + embedded scheduler)

``--serve`` starts the server the way a person or a practice does, ``nearer serve``, with its embedded
scheduler process writing beside it, and kills the whole process group each time.

SQLite lives in a temporary directory; PostgreSQL uses a temporary database (``nearer_crash`` unless
``--db-name`` says otherwise) on 127.0.0.1:5432 (user postgres, trust auth), dropped at the end. Loopback only. Prints the figures as
JSON; exits non-zero on any loss, duplicate or integrity failure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
RISKY_NOTE = "I wish I was dead"  # screened as a concern: the check-in and its risk event share a transaction

SEED = r"""
import json, sys
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
import secrets
from nearer.accounts.models import ApiToken, Link, User, hash_token
from nearer.privacy.scopes import default_scopes
n = int(sys.argv[1])
therapist = User.objects.create_user("crash-therapist@example.test", None, role="therapist")
people = User.objects.bulk_create([User(email=f"crash{i}@example.test", role="person", password="!") for i in range(n)])
secrets_ = [ApiToken.PREFIX + secrets.token_urlsafe(24) for _ in people]
ApiToken.objects.bulk_create([ApiToken(user=p, name="crash", token_hash=hash_token(s), hint=s[-4:])
                              for p, s in zip(people, secrets_)])
# Every fifth person has a therapist, so "I'm not safe" also writes an alert for them.
Link.objects.bulk_create([Link(owner=p, viewer=therapist, kind="therapist", scopes=default_scopes("therapist"))
                          for p in people[::5]])
json.dump([[p.pk, s] for p, s in zip(people, secrets_)], open(sys.argv[2], "w"))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(port: int, timeout: float = 180) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return time.monotonic() - t0
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.02)
    raise RuntimeError("server did not come up")


def _psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", db, "-XAtqc", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


class Writers:
    """Threads that each take the next person and check them in until acknowledged."""

    def __init__(self, port: int, people: list[tuple[int, str]], threads: int) -> None:
        self.port = port
        self.people = people
        self.next = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acked: dict[int, tuple[int, bool]] = {}  # person id -> (check-in id, flagged)
        self.not_safe: dict[int, int] = {}  # person id -> risk event id
        self.attempts = self.retries = self.lost_not_safe = 0
        self.rejected: dict[int, int] = {}
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _post(self, token: str, path: str, body: dict[str, Any], key: str | None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request("POST", path, json.dumps(body), headers)
            r = c.getresponse()
            return r.status, json.loads(r.read() or b"null")
        finally:
            c.close()

    def _take(self) -> tuple[int, int, str] | None:
        with self.lock:
            if self.next >= len(self.people):
                return None
            i = self.next
            self.next += 1
        pid, token = self.people[i]
        return i, pid, token

    def _run(self) -> None:
        while not self.stop.is_set():
            got = self._take()
            if got is None:
                return
            i, pid, token = got
            flagged = i % 7 == 3
            body: dict[str, Any] = {"mood": i % 11, "closeness": (i * 3) % 11}
            if flagged:
                body["note"] = RISKY_NOTE
            key = f"crash-{pid}"
            while not self.stop.is_set():  # the same key until the server answers
                with self.lock:
                    self.attempts += 1
                try:
                    status, data = self._post(token, "/api/diary/checkins", body, key)
                except (OSError, http.client.HTTPException, ValueError):
                    with self.lock:
                        self.retries += 1
                    time.sleep(0.02)
                    continue
                with self.lock:
                    if 200 <= status < 300:
                        self.acked[pid] = (int(data["id"]), bool(data.get("show_crisis_help")))
                    else:
                        self.rejected[status] = self.rejected.get(status, 0) + 1
                break
            if i % 10 == 0 and not self.stop.is_set():
                try:  # not retried: without an answer we cannot know whether it was stored
                    status, data = self._post(token, "/api/safety/not-safe", {}, None)
                    if 200 <= status < 300:
                        with self.lock:
                            self.not_safe[pid] = int(data["event_id"])
                except (OSError, http.client.HTTPException, ValueError):
                    with self.lock:
                        self.lost_not_safe += 1


def run(kills: int, *, postgres: bool = False, seed: int = 7, threads: int = 4, people: int | None = None,
        serve: bool = False, db_name: str = "nearer_crash") -> dict[str, Any]:
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="nearer-crash-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nearer.settings_test", "PYTHONPATH": str(ROOT),
           "NEARER_EMBEDDED_SCHEDULER": "true" if serve else "false", "NEARER_LOG_LEVEL": "CRITICAL",
           "NEARER_VAR_DIR": str(tmp / "var")}
    env.pop("DATABASE_URL", None)
    if postgres:
        _psql(f"DROP DATABASE IF EXISTS {db_name}")
        _psql(f"CREATE DATABASE {db_name}")
        env["DATABASE_URL"] = PG_URL.format(name=db_name)
    else:
        env["NEARER_SQLITE_PATH"] = str(tmp / "crash.sqlite3")
    n_people = people or max(400, kills * 40)
    tokens_file = tmp / "tokens.json"
    server: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([PY, "-c", SEED, str(n_people), str(tokens_file)], cwd=ROOT, env=env, check=True)
        crowd = [(int(p), str(s)) for p, s in json.loads(tokens_file.read_text())]
        port = _free_port()
        if serve:  # the whole `nearer serve` process group: gunicorn, its workers and the embedded scheduler
            cmd = [PY, "-m", "nearer.cli", "serve", "--no-migrate", "--host", "127.0.0.1", "--port", str(port),
                   "--workers", "2"]
        else:
            cmd = [PY, "-m", "gunicorn", "nearer.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                   "--threads", "2", "--log-level", "critical", "--preload"]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL} if serve else {}
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, **quiet)
        _wait_up(port)
        writers = Writers(port, crowd, threads)
        for t in writers.threads:
            t.start()
        t0 = time.monotonic()
        boots: list[float] = []
        done = 0
        for _ in range(kills):
            time.sleep(rng.uniform(0.05, 0.5))
            if writers.next >= len(crowd):
                break  # everyone checked in; more kills would hit an idle server
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            done += 1
            server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, **quiet)
            boots.append(_wait_up(port))
        time.sleep(0.5)
        writers.stop.set()
        for t in writers.threads:
            t.join(timeout=15)
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        elapsed = time.monotonic() - t0
        rows, events, alerts, integrity = _inspect(env, postgres, db_name)
    finally:
        if server is not None and server.poll() is None:  # an error part-way: stop what we started
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        if postgres:
            _psql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)

    by_person: dict[int, list[tuple[int, str]]] = {}
    for cid, pid, key in rows:
        by_person.setdefault(pid, []).append((cid, key))
    missing = [p for p in writers.acked if p not in by_person]
    twice = [p for p, got in by_person.items() if len(got) > 1]
    changed = [p for p, (cid, _f) in writers.acked.items() if p in by_person and by_person[p][0][0] != cid]
    checkin_events: dict[str, int] = {}
    event_ids = set()
    for eid, _pid, ref_type, ref_id in events:
        event_ids.add(eid)
        if ref_type == "diary.checkin":
            checkin_events[ref_id] = checkin_events.get(ref_id, 0) + 1
    flagged = [cid for cid, f in writers.acked.values() if f]
    flagged_missing = [c for c in flagged if checkin_events.get(str(c), 0) == 0]
    flagged_twice = [c for c, n in checkin_events.items() if n > 1]
    not_safe_missing = [e for e in writers.not_safe.values() if e not in event_ids]
    linked = {pid for pid, _s in crowd[::5]}
    linked_not_safe = [p for p in writers.not_safe if p in linked]
    result: dict[str, Any] = {
        "database": "postgresql" if postgres else "sqlite", "server": "nearer serve" if serve else "gunicorn",
        "kills": done, "seconds": round(elapsed, 1),
        "median_restart_s": round(sorted(boots)[len(boots) // 2], 2) if boots else None,
        "checkins_acked": len(writers.acked), "checkins_stored": len(rows),
        "missing": len(missing), "duplicates": len(twice), "id_mismatch": len(changed),
        "flagged_checkins_acked": len(flagged), "flagged_without_risk_event": len(flagged_missing),
        "risk_events_twice_for_one_checkin": len(flagged_twice),
        "not_safe_acked": len(writers.not_safe), "not_safe_missing": len(not_safe_missing),
        "not_safe_unanswered": writers.lost_not_safe, "risk_events": len(event_ids), "alerts": alerts,
        "linked_not_safe_acked": len(linked_not_safe),
        "requests": writers.attempts, "retried_after_crash": writers.retries, "rejected_by_status": writers.rejected,
        "integrity": integrity,
    }
    result["ok"] = bool(
        writers.acked and not missing and not twice and not changed and not flagged_missing and not flagged_twice
        and not not_safe_missing and not writers.rejected and integrity == "ok"
        and (alerts > 0 or not linked_not_safe)
    )
    return result


def _inspect(env: dict[str, str], postgres: bool, db_name: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str, str]], int, str]:
    q_rows = "SELECT id, person_id, idempotency_key FROM diary_checkin"
    q_events = "SELECT id, person_id, ref_type, ref_id FROM safety_riskevent"
    q_alerts = "SELECT COUNT(*) FROM safety_alert"
    if not postgres:
        con = sqlite3.connect(env["NEARER_SQLITE_PATH"])
        try:
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
            if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                integrity = "not in WAL mode"
            rows = [(int(a), int(b), str(c)) for a, b, c in con.execute(q_rows)]
            events = [(int(a), int(b), str(c), str(d)) for a, b, c, d in con.execute(q_events)]
            alerts = int(con.execute(q_alerts).fetchone()[0])
        finally:
            con.close()
        return rows, events, alerts, integrity

    def table(sql: str) -> list[list[str]]:
        out = _psql(sql, db_name)
        return [line.split("|") for line in out.splitlines() if line]

    rows = [(int(a), int(b), c) for a, b, c in table(q_rows)]
    events = [(int(a), int(b), c, d) for a, b, c, d in table(q_events)]
    alerts = int(_psql(q_alerts, db_name))
    _psql("CREATE EXTENSION IF NOT EXISTS amcheck", db_name)
    indexes = table(
        "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
        "JOIN pg_class t ON t.oid = i.indrelid WHERE a.amname = 'btree' AND t.relname IN "
        "('diary_checkin', 'safety_riskevent', 'safety_alert', 'accounts_apitoken', 'accounts_user')")
    for (oid,) in indexes:
        _psql(f"SELECT bt_index_check({oid}, true)", db_name)  # raises (psql fails) on a corrupt index
    return rows, events, alerts, "ok" if indexes else "no indexes checked"


def sync_cost(commits: int = 400) -> dict[str, Any]:
    """Commits per second on a SQLite file in WAL mode with synchronous=NORMAL and =FULL (same run, same disk)."""
    out: dict[str, Any] = {"commits": commits}
    tmp = Path(tempfile.mkdtemp(prefix="nearer-sync-"))
    try:
        for mode in ("NORMAL", "FULL", "NORMAL", "FULL"):  # interleaved, so a noisy neighbour hits both
            path = tmp / f"{mode}.sqlite3"
            con = sqlite3.connect(path, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(f"PRAGMA synchronous={mode}")
            con.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, note TEXT)")
            t0 = time.perf_counter()
            for i in range(commits):
                con.execute("BEGIN IMMEDIATE")
                con.execute("INSERT INTO t (note) VALUES (?)", (f"enc1:k:{i:040d}",))
                con.execute("COMMIT")
            rate = commits / (time.perf_counter() - t0)
            con.close()
            out[f"{mode.lower()}_commits_per_s"] = max(out.get(f"{mode.lower()}_commits_per_s", 0), round(rate))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["full_vs_normal"] = round(out["full_commits_per_s"] / out["normal_commits_per_s"], 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--postgres", action="store_true", help="PostgreSQL on 127.0.0.1:5432 instead of SQLite")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--people", type=int, default=None, help="people seeded (default 40 per kill, at least 400)")
    ap.add_argument("--serve", action="store_true", help="kill `nearer serve` (with its embedded scheduler)")
    ap.add_argument("--db-name", default="nearer_crash", help="temporary PostgreSQL database name")
    ap.add_argument("--sync-cost", action="store_true",
                    help="only measure SQLite commits/s with synchronous=NORMAL and FULL, then exit")
    args = ap.parse_args()
    if args.sync_cost:
        print(json.dumps(sync_cost(), indent=2))
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", file=sys.stderr)
    res = run(args.kills, postgres=args.postgres, seed=args.seed, threads=args.threads, people=args.people,
              serve=args.serve, db_name=args.db_name)
    res["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(res, indent=2))
    sys.exit(0 if res["ok"] else 1)


if __name__ == "__main__":
    main()
