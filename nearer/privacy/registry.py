"""Which models hold a person's data: export walks this list and deletion is checked against it.

Each app registers its models in its ``AppConfig.ready``. A model with a foreign key to the user
that is neither registered nor exempted fails the suite (``test_every_model_is_accounted_for``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Owned:
    model: type[models.Model]
    owner_path: str  # e.g. "owner" or "conversation__couple__a"
    name: str


OWNED: dict[str, Owned] = {}
# Models that point at a user but hold nothing personal of theirs, with the reason.
EXEMPT: dict[str, str] = {}


def register(model: type[models.Model], owner_path: str = "owner", name: str | None = None) -> None:
    label = model._meta.label_lower
    OWNED[label] = Owned(model=model, owner_path=owner_path, name=name or model._meta.model_name or label)


def exempt(label: str, reason: str) -> None:
    EXEMPT[label.lower()] = reason
