"""The NIMH Ask Suicide-Screening Questions (ASQ): four yes/no questions and the acuity question.

Source: National Institute of Mental Health, Ask Suicide-Screening Questions (ASQ) Toolkit. NIMH's
written material is in the public domain and may be reproduced without permission; NIMH asks that
its content is not altered and that it is cited. The question text below is NIMH's, unaltered (the
terms and the check are in docs/safety.md).

Scoring follows NIMH's tool: "yes" to any of questions 1–4 is a positive screen; a refusal to answer
counts as positive too; "yes" to question 5 is an acute positive screen (imminent risk). What Nearer
adds, as a careful supervisor would: "yes" to question 5 is acute even when 1–4 were "no", and a
positive screen whose acuity question was declined is treated as acute. Declining is stored as
declined, never as "no".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CITATION = "National Institute of Mental Health (NIMH), Ask Suicide-Screening Questions (ASQ). Public domain."

QUESTION_IDS = ("q1", "q2", "q3", "q4", "q5")

#: NIMH's English wording, unaltered.
QUESTIONS_EN = (
    "In the past few weeks, have you wished you were dead?",
    "In the past few weeks, have you felt that you or your family would be better off if you were dead?",
    "In the past week, have you been having thoughts about killing yourself?",
    "Have you ever tried to kill yourself?",
    "Are you having thoughts of killing yourself right now?",
)

#: The Spanish wording as found in two independent reproductions of NIMH's Spanish ASQ that agree word
#: for word. It has NOT been checked against NIMH's own Spanish PDF, so it is not shown until someone
#: does and sets SPANISH_VERIFIED (see docs/safety.md). Until then Spanish pages show NIMH's English
#: questions with a note in Spanish: a validated questionnaire uses official wording only.
QUESTIONS_ES_UNVERIFIED = (
    "En las últimas semanas, ¿ha deseado estar muerto?",
    "En las últimas semanas, ¿ha sentido que usted o su familia estarían mejor si estuviera muerto?",
    "En la última semana, ¿ha estado pensando en suicidarse?",
    "¿Alguna vez ha intentado suicidarse?",
    "¿Está pensando en suicidarse en este momento?",
)
SPANISH_VERIFIED = False

ANSWERS = ("yes", "no", "declined")

#: Where the offer came from (stored with the answers; never free text).
TRIGGERS = ("phq9_item9", "screen", "not_safe", "low_mood", "self")

TRIGGER_LABELS = {
    "phq9_item9": _("after PHQ-9 item 9"),
    "screen": _("after something they wrote"),
    "not_safe": _("after “I'm not safe”"),
    "low_mood": _("after a check-in with mood 0–2"),
    "self": _("on their own"),
}


@dataclass(frozen=True)
class Questions:
    lang: str  # the language the question text is in
    texts: tuple[str, ...]
    translated: bool  # False when the page language is Spanish but the questions are shown in English


def questions(lang: str | None) -> Questions:
    base = (lang or "en").split("-")[0].lower()
    if base == "es":
        if SPANISH_VERIFIED:
            return Questions("es", QUESTIONS_ES_UNVERIFIED, True)
        return Questions("en", QUESTIONS_EN, False)
    return Questions("en", QUESTIONS_EN, True)


def trigger_for_source(source: str) -> str:
    """The ASQ trigger for a risk signal's source."""
    if source.startswith("measures."):
        return "phq9_item9"
    if source in ("safety.not_safe", "safety.need_help"):
        return "not_safe"
    return "screen"


@dataclass(frozen=True)
class Scored:
    result: str  # "negative" | "non_acute" | "acute"
    level: str  # "none" | "concern" | "urgent"
    reason: str  # a rule-like name for the risk event ("asq.acute", "asq.positive", "asq.declined")
    declined_any: bool


def score(answers: dict[str, str]) -> Scored:
    first_four = [answers.get(q, "") for q in QUESTION_IDS[:4]]
    q5 = answers.get("q5", "")
    any_yes = "yes" in first_four
    declined = "declined" in first_four or q5 == "declined"
    if q5 == "yes" or (any_yes and q5 in ("declined", "")):
        return Scored("acute", "urgent", "asq.acute", declined)
    if any_yes:
        return Scored("non_acute", "concern", "asq.positive", declined)
    if "declined" in first_four:
        return Scored("non_acute", "concern", "asq.declined", declined)
    return Scored("negative", "none", "", declined)
