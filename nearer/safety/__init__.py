"""Safety: screening, crisis resources, safety plan, risk events, alerts.

The screener is loaded on first use: building it (its rule patterns, lexicons and classifier)
took about a second of every process start, including ``django.setup()`` and the URL
configuration of ``nearer serve``.  ``screen`` here is a thin function that loads
:mod:`nearer.safety.screening` when first called and calls its ``screen`` (looked up on every
call, so a test that replaces ``screening.screen`` still takes effect); ``ScreenResult`` loads on
first access (PEP 562).  ``nearer serve`` warms the screener in each worker right after start
(``nearer/gunicorn_conf.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nearer.safety.screening import ScreenResult

__all__ = ["ScreenResult", "screen"]


def screen(*args: Any, **kwargs: Any) -> ScreenResult:
    from nearer.safety import screening

    return screening.screen(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "ScreenResult":
        from nearer.safety import screening

        return screening.ScreenResult
    raise AttributeError(f"module 'nearer.safety' has no attribute {name!r}")
