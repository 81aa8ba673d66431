"""Plain words about a score: what the band means and a next step. Our own wording, kind and calm.

Nothing here claims a cause; it describes answers, and suggests talking with a therapist.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# What the band means, by instrument and band key.
MEANING = {
    ("phq9", "minimal"): _("Your answers show few signs of low mood over the last two weeks."),
    ("phq9", "mild"): _("Your answers show some signs of low mood over the last two weeks."),
    ("phq9", "moderate"): _("Your answers show a fair number of signs of low mood over the last two weeks."),
    ("phq9", "moderately_severe"): _("Your answers show many signs of low mood over the last two weeks. That is a lot to carry."),
    ("phq9", "severe"): _("Your answers show a great many signs of low mood over the last two weeks. That is a lot to carry."),
    ("gad7", "minimal"): _("Your answers show few signs of worry or anxiety over the last two weeks."),
    ("gad7", "mild"): _("Your answers show some signs of worry or anxiety over the last two weeks."),
    ("gad7", "moderate"): _("Your answers show a fair number of signs of worry or anxiety over the last two weeks."),
    ("gad7", "severe"): _("Your answers show many signs of worry or anxiety over the last two weeks. That is a lot to carry."),
    ("phq2", "negative"): _("Your answers to these two questions do not point to low mood right now."),
    ("phq2", "positive"): _("Your answers to these two questions suggest it is worth looking a little closer."),
}

BAND_NAMES = {
    "minimal": _("Minimal"),
    "mild": _("Mild"),
    "moderate": _("Moderate"),
    "moderately_severe": _("Moderately severe"),
    "severe": _("Severe"),
    "negative": _("Below the screening threshold"),
    "positive": _("At or above the screening threshold"),
    # AUDIT-C (sex-specific cut-offs; Nearer does not ask sex, so the middle band names both)
    "below_cutoff": _("Below the screening cut-off"),
    "positive_women": _("Positive screen for women (3 or more)"),
    "positive_all": _("Positive screen (4 or more)"),
}

_LOW = _("Keep doing what helps you. You can answer again on your usual schedule to see how things move.")
_SOME = _("It may help to mention this to your therapist at your next session.")
_MORE = _("This is worth talking over with your therapist soon. They can help you think about what would help.")
_NO_THERAPIST = _("If you don't have a therapist, the help page lists ways to find care.")

NEXT_STEP = {
    "minimal": _LOW,
    "negative": _LOW,
    "mild": _SOME,
    "moderate": _MORE,
    "moderately_severe": _MORE,
    "severe": _MORE,
    "positive": _("The PHQ-9 asks nine questions and gives a fuller picture. You can answer it now."),
}

CHANGE = {
    "reliable_improvement": _("Reliable improvement"),
    "no_reliable_change": _("No reliable change"),
    "reliable_deterioration": _("Reliable deterioration"),
}

# The same labels in plain words, for the person (the labels alone read like a verdict).
CHANGE_PLAIN = {
    "reliable_improvement": _("Compared with your first score, this is a real improvement: bigger than the usual ups and downs of this questionnaire."),
    "no_reliable_change": _("Compared with your first score, the difference is within the usual ups and downs of this questionnaire, so it may not be a real change yet."),
    "reliable_deterioration": _("Compared with your first score, things look harder now, by more than the usual ups and downs. It is worth talking this over with your therapist or someone you trust."),
}
RECOVERED_PLAIN = _("Your first score was in the range where many people are struggling, and this one is outside it. Together with the real improvement, that is what “recovered” means here.")
RESPONSE_PLAIN = _("Your score is half or less of your first one. Clinicians call this a “response”.")
REMISSION_PLAIN = _("A score below 5 means few signs of low mood. Clinicians call this “remission”.")
TOO_SOON_PLAIN = _(
    "This answer is less than two weeks after your first one. These questions ask about the last two weeks, "
    "so the two answers cover some of the same days: we compare answers at least two weeks apart."
)

CHANGE_EXPLAINED = _(
    "A change counts as reliable when it is bigger than the ups and downs the questionnaire shows from "
    "one day to the next. Each score is compared with your first score on this questionnaire."
)


_BUILTIN = ("phq9", "phq2", "gad7", "auditc")
_GENERIC_NEXT = _("You can talk these results over with your therapist.")


def band_name(instrument_id: str, key: str, label: str) -> str:
    if instrument_id in _BUILTIN:
        return str(BAND_NAMES.get(key, label))
    return label


def meaning(instrument_id: str, key: str, label: str) -> str:
    text = MEANING.get((instrument_id, key))
    if text is not None:
        return str(text)
    return str(_("Your score is in the range called “%(band)s”.") % {"band": label})


def next_step(instrument_id: str, key: str, has_therapist: bool) -> str:
    if instrument_id not in _BUILTIN:
        return str(_GENERIC_NEXT)
    text = str(NEXT_STEP.get(key, _SOME))
    if key in ("moderate", "moderately_severe", "severe") and not has_therapist:
        text = f"{text} {_NO_THERAPIST}"
    return text


def change_plain(label: str) -> str:
    return str(CHANGE_PLAIN.get(label, ""))


def change_name(label: str) -> str:
    return str(CHANGE.get(label, ""))
