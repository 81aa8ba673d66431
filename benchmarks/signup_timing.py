"""Sign-up: server time for an address that already has an account vs a new one (issue 16 item 10).

Prints figures; nothing here is asserted. Run from the repository root:
    PYTHONPATH=. .venv/bin/python benchmarks/signup_timing.py [--rounds 15]
Production hashing (Argon2id) on a fresh temporary SQLite file, the locmem mail backend. Rounds
alternate existing and new addresses so both meet the same machine load. Reference in the same
run: one Argon2id hash of the same password. Before the fix an existing address skipped the hash
(about 20-85 ms against 420-635 ms for a new one on the reporting machine); now the ratio should be near 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

_tmp = tempfile.mkdtemp(prefix="nearer-bench-")
os.environ["NEARER_SQLITE_PATH"] = os.path.join(_tmp, "signup.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

PASSWORD = "a long enough phrase here"


def sign_up(email: str) -> float:
    c = Client()
    t = time.perf_counter()
    r = c.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD, "role": "person"})
    elapsed = (time.perf_counter() - t) * 1000
    assert r.status_code == 302, r.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    argon = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    limits = {**settings.ACCOUNT_RATE_LIMITS, "signup": "100000/m/ip"}
    with override_settings(PASSWORD_HASHERS=argon, ACCOUNT_RATE_LIMITS=limits):
        sign_up("taken@bench.test")
        existing, new, ref = [], [], []
        for i in range(args.rounds):
            existing.append(sign_up("taken@bench.test"))
            new.append(sign_up(f"new{i}@bench.test"))
            t = time.perf_counter()
            make_password(PASSWORD)
            ref.append((time.perf_counter() - t) * 1000)
    me, mn, mr = statistics.median(existing), statistics.median(new), statistics.median(ref)
    print(f"sign-up, existing address: median {me:.1f} ms (min {min(existing):.1f}, max {max(existing):.1f})")
    print(f"sign-up, new address:      median {mn:.1f} ms (min {min(new):.1f}, max {max(new):.1f})")
    print(f"reference, one Argon2id hash: median {mr:.1f} ms")
    print(f"ratio existing/new: {me / mn:.2f}; existing/hash {me / mr:.2f}; new/hash {mn / mr:.2f}; "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
