"""HARK: four questions about a partner or ex-partner in the last year (Django-free).

Sohal H, Eldridge S, Feder G. The sensitivity and specificity of four questions (HARK) to identify
intimate partner violence: a diagnostic accuracy study in general practice. BMC Family Practice
2007;8:49. doi:10.1186/1471-2296-8-49. Open access under the Creative Commons Attribution License;
the English questions are used verbatim with that attribution. A score of 1 or more (any "yes") is
a positive screen (sensitivity 81%, specificity 95% in the study).

No published Spanish version of HARK was found (see docs/safety.md). The Spanish questions below are
Nearer's own plain rendering of the same four questions, reviewed for meaning, and marked as such:
they are never reported as a validated score.
"""

from __future__ import annotations

from dataclasses import dataclass

ITEMS: tuple[str, ...] = ("humiliated", "afraid", "forced", "hurt")
YES, NO, SKIP = "yes", "no", "skip"
ANSWERS = (YES, NO, SKIP)
CITATION = (
    "HARK: Sohal H, Eldridge S, Feder G. BMC Family Practice 2007;8:49 (doi:10.1186/1471-2296-8-49), "
    "Creative Commons Attribution License."
)

QUESTIONS: dict[str, dict[str, str]] = {
    "en": {
        "humiliated": "Within the last year, have you been humiliated or emotionally abused in other ways by your partner or your ex-partner?",
        "afraid": "Within the last year, have you been afraid of your partner or ex-partner?",
        "forced": "Within the last year, have you been raped or forced to have any kind of sexual activity by your partner or ex-partner?",
        "hurt": "Within the last year, have you been kicked, hit, slapped or otherwise physically hurt by your partner or ex-partner?",
    },
    "es": {
        "humiliated": "En el último año, ¿tu pareja o expareja te ha humillado o te ha maltratado emocionalmente de alguna otra forma?",
        "afraid": "En el último año, ¿has tenido miedo de tu pareja o expareja?",
        "forced": "En el último año, ¿tu pareja o expareja te ha violado o te ha obligado a tener algún tipo de actividad sexual?",
        "hurt": "En el último año, ¿tu pareja o expareja te ha pateado, golpeado, abofeteado o lastimado físicamente de alguna otra forma?",
    },
}
#: Whether the questions in a language are the published wording (True) or Nearer's rendering (False).
OFFICIAL = {"en": True, "es": False}


@dataclass(frozen=True)
class Result:
    score: int  # number of "yes" answers, 0-4
    answered: int  # number of questions answered yes or no
    positive: bool  # any "yes"
    unsure: bool  # no "yes", but at least one question left unanswered


def lang_of(lang: str | None) -> str:
    base = (lang or "en").strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in QUESTIONS else "en"


def questions(lang: str | None) -> list[tuple[str, str]]:
    texts = QUESTIONS[lang_of(lang)]
    return [(key, texts[key]) for key in ITEMS]


def score(answers: dict[str, str]) -> Result:
    """Score HARK answers: ``{"afraid": "yes", ...}``; a missing answer counts as "skip".

    Raises ``ValueError`` naming the question for an unknown key or answer.
    """
    for key, value in answers.items():
        if key not in ITEMS:
            raise ValueError(key)
        if value not in ANSWERS:
            raise ValueError(key)
    yes = sum(1 for k in ITEMS if answers.get(k) == YES)
    answered = sum(1 for k in ITEMS if answers.get(k) in (YES, NO))
    return Result(score=yes, answered=answered, positive=yes >= 1, unsure=yes == 0 and answered < len(ITEMS))
