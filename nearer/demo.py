"""The demo world shared by ``nearer demo`` and every app's ``demo.populate(world)``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

DEMO_PASSWORD = "nearer-demo-2026"  # noqa: S105 - printed to the newcomer on purpose; demo only
SAM = "sam@demo.nearer.test"
ALEX = "alex@demo.nearer.test"
RIVERA = "dr.rivera@demo.nearer.test"
CLINIC_ADMIN = "admin@demo.nearer.test"


@dataclass
class DemoWorld:
    sam: Any
    alex: Any
    rivera: Any
    clinic_admin: Any
    clinic: Any
    now: datetime
    seed: int = 20261121
    extra: dict[str, Any] = field(default_factory=dict)

