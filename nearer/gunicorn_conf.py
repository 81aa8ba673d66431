"""gunicorn settings for ``nearer serve``: the app is loaded once, workers are warmed after fork.

``preload_app``: Django, the URL configuration and every view module are imported once in the
master and shared by the forked workers (copy-on-write), instead of once per worker in
parallel on a 2-core machine.  ``post_fork``: each worker then loads, in a background thread,
what only some requests need (the safety screener), so the first check-in does not pay for it
and the first answer does not wait for it.
"""

from __future__ import annotations

import threading
from typing import Any

preload_app = True


def _warm() -> None:
    try:
        from nearer.safety import screen

        screen("warm up")  # builds the rule patterns and loads the classifier
    except Exception:  # noqa: BLE001, S110 - warming is an optimisation; the request path loads it anyway
        pass


def post_fork(server: Any, worker: Any) -> None:
    threading.Thread(target=_warm, name="nearer-warm", daemon=True).start()
