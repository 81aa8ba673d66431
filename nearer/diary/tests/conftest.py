from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class FakeOutcome:
    show_card: bool = False
    level: str = "none"
    reasons: list[str] = field(default_factory=list)


@dataclass
class SafetySpy:
    calls: list[dict[str, Any]] = field(default_factory=list)
    show_card: bool = False

    def __call__(self, person: Any, source: str, text: str, ref: Any = None) -> FakeOutcome:
        self.calls.append({"person": person, "source": source, "text": text, "ref": ref})
        return FakeOutcome(show_card=self.show_card)


@pytest.fixture
def safety_spy(monkeypatch: pytest.MonkeyPatch) -> SafetySpy:
    """Record calls to the safety service in place of the real one."""
    import nearer.safety.services as real

    spy = SafetySpy()
    monkeypatch.setattr(real, "check_text_and_respond", spy)
    return spy
