"""What kind of signal an alert carries: construct keys and their plain labels, never the person's words.

Screener rule names ("urgent.recent_attempt") and non-text sources ("safety.not_safe",
"measures.phq9_item9", "safety.asq") map to a small set of kinds that a clinician reads at a glance
("overdose or attempt taken" is not "mention of someone else"). Rule names the map does not know
(a new rule the screener adds) fall back to a level-wide kind, so nothing is ever unlabelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

#: kind key -> label, in the order a clinician would want them read (most acute first).
KIND_LABELS: dict[str, Any] = {
    "attempt_taken": _("overdose or attempt taken"),
    "asq_acute": _("direct questions: thoughts of suicide right now"),
    "need_help": _("chose “I need help now”"),
    "not_safe": _("tapped “I'm not safe”"),
    "method_timing": _("method and timing"),
    "intent": _("intent to act"),
    "preparation": _("preparations made"),
    "farewell": _("saying goodbye"),
    "self_harm_recent": _("recent self-harm"),
    "asq_positive": _("direct questions: positive, not acute"),
    "asq_declined": _("direct questions: declined to answer"),
    "phq9_item9": _("PHQ-9 item 9 above 0"),
    "wish_dead": _("wish to be dead"),
    "thoughts_of_death": _("thoughts of death or suicide"),
    "cant_go_on": _("can't go on / no reason to live"),
    "burden": _("feeling a burden"),
    "self_harm_urge": _("urge to self-harm"),
    "past_attempt": _("past attempt mentioned"),
    "mention": _("mention of someone else, or of suicide in general"),
    "writing_urgent": _("urgent sign in their writing (other kind)"),
    "writing_concern": _("concerning sign in their writing (other kind)"),
    "screening_failed": _("screening could not run; crisis help was shown"),
}

# Construct part of a rule name (after "urgent." / "concern.") -> kind. Aliases cover names the
# screener may use for the same construct.
_RULE_KINDS: dict[str, str] = {
    "recent_attempt": "attempt_taken", "attempt": "attempt_taken", "overdose": "attempt_taken",
    "attempt_taken": "attempt_taken", "interrupted_attempt": "attempt_taken", "aborted_attempt": "attempt_taken",
    "plan_method": "method_timing", "method": "method_timing", "plan": "method_timing", "timing": "method_timing",
    "plan_timing": "method_timing", "means": "method_timing", "opportunity": "method_timing",
    "intent": "intent", "refuses_safety": "intent",
    "preparation": "preparation", "preparatory": "preparation", "preparatory_acts": "preparation",
    "goodbye": "farewell", "farewell": "farewell",
    "self_harm_recent": "self_harm_recent", "self_harm": "self_harm_recent",
    "wish_dead": "wish_dead", "wish_not_exist": "wish_dead",
    "thoughts_of_death": "thoughts_of_death", "active_thoughts": "thoughts_of_death", "thoughts": "thoughts_of_death",
    "cant_go_on": "cant_go_on", "no_reason_to_live": "cant_go_on",
    "burden": "burden",
    "self_harm_urge": "self_harm_urge",
    "past_attempt": "past_attempt",
    "mention": "mention", "negated_mention": "mention",
}

_SOURCE_KINDS: dict[str, str] = {
    "safety.not_safe": "not_safe",
    "safety.need_help": "need_help",
    "measures.phq9_item9": "phq9_item9",
}

_REASON_KINDS: dict[str, str] = {
    "phq9.item9": "phq9_item9",
    "asq.acute": "asq_acute",
    "asq.positive": "asq_positive",
    "asq.declined": "asq_declined",
}


def signal_kinds(source: str, rules: Iterable[Any] = (), *, screening_failed: bool = False) -> list[str]:
    """The kinds for one signal, most acute first, without duplicates."""
    found: list[str] = []
    if source in _SOURCE_KINDS:
        found.append(_SOURCE_KINDS[source])
    for r in rules:
        name = str(getattr(r, "rule", r))
        if name in _REASON_KINDS:
            found.append(_REASON_KINDS[name])
            continue
        level, _dot, construct = name.partition(".")
        kind = _RULE_KINDS.get(construct)
        if kind is None and level in ("urgent", "concern"):
            kind = f"writing_{level}"
        if kind:
            found.append(kind)
    if screening_failed:
        found.append("screening_failed")
    return order(found)


def order(kinds: Iterable[str]) -> list[str]:
    keys = list(KIND_LABELS)
    unique = {k for k in kinds if k in KIND_LABELS}
    return sorted(unique, key=keys.index)


def kind_labels(kinds: Iterable[str]) -> list[Any]:
    return [KIND_LABELS[k] for k in order(kinds)]
