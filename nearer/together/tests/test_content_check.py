"""Content files are validated at start-up: a broken prompt or suggestion file makes the system
check fail, naming the problem (``nearer check``/``migrate``/``serve`` run it)."""

from __future__ import annotations

from django.core import checks

from nearer.content_checks import content_files
from nearer.practice import suggestion_bank
from nearer.together import prompt_bank


def test_the_shipped_content_passes():
    assert content_files() == []
    assert "nearer" in checks.registry.registry.tags_available()


def test_a_broken_prompt_file_fails_the_start_up_check(monkeypatch):
    def broken() -> None:
        raise prompt_bank.PromptDataError("prompts.json: prompt 'talk-001' has no Spanish text")

    monkeypatch.setattr(prompt_bank, "validate_all", broken)
    [error] = content_files()
    assert error.id == "nearer.E100" and "talk-001" in error.msg and error.msg.startswith("Together prompts")


def test_a_broken_suggestion_file_fails_the_start_up_check(monkeypatch):
    def broken() -> None:
        raise ValueError("ladder.json: step 'voice-001' has an unknown category")

    monkeypatch.setattr(suggestion_bank, "validate_all", broken)
    [error] = content_files()
    assert error.msg.startswith("Practice suggestions") and "voice-001" in error.msg
