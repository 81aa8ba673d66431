"""The consent scopes a person can grant on a link, with the defaults from DESIGN.md.

A scope names one kind of data. Later features read through ``privacy.access`` with one of these
keys; a key that is not registered here is a programming error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PARTNER = "partner"
THERAPIST = "therapist"


@dataclass(frozen=True)
class Scope:
    key: str
    label: object
    help: object
    kinds: frozenset[str]
    default_for: frozenset[str]
    free_text: bool = False
    # The same scope named from the viewer's side ("Their loop and trends"), for lists of what
    # others share with you; ``label`` speaks to the owner ("Your loop and trends").
    seen_label: object = None

    @property
    def shared_label(self) -> object:
        return self.seen_label or self.label


SCOPES: dict[str, Scope] = {}


def _add(key: str, label: object, help_text: object, kinds: set[str], default_for: set[str], free_text: bool = False,
         seen: object = None) -> None:
    SCOPES[key] = Scope(key, label, help_text, frozenset(kinds), frozenset(default_for), free_text, seen)


_add("checkins", _("Daily check-in numbers"), _("Mood, closeness and the other answers, without your notes."),
     {PARTNER, THERAPIST}, {THERAPIST})
_add("checkin_notes", _("Notes in your check-ins"), _("The words you write in your daily notes."),
     {PARTNER, THERAPIST}, set(), free_text=True, seen=_("Notes in their check-ins"))
_add("loop", _("Your loop and trends"), _("The patterns between closeness and mood drawn from your check-ins."),
     {PARTNER, THERAPIST}, {THERAPIST}, seen=_("Their loop and trends"))
_add("measures", _("Questionnaire results"), _("PHQ-9, GAD-7 and other scores, with change over time."),
     {PARTNER, THERAPIST}, {THERAPIST})
_add("safety_plan", _("Your safety plan"), _("The plan you wrote for hard moments."),
     {PARTNER, THERAPIST}, set(), free_text=True, seen=_("Their safety plan"))
_add("practice_summaries", _("Practice summaries"), _("Counts and ratings from your ladder, experiments and present-or-past records."),
     {PARTNER, THERAPIST}, {THERAPIST})
_add("practice_entries", _("Practice entries"), _("What you wrote in your worksheet, experiments and present-or-past records."),
     {PARTNER, THERAPIST}, set(), free_text=True)
_add("together_ratings", _("Couple conversation ratings"), _("Ratings you agreed to reveal after a couple conversation."),
     {PARTNER, THERAPIST}, {PARTNER, THERAPIST})
# Issue 14: the private relationship-safety questions. Therapist only, off by default; never a partner's.
_add("relationship_safety", _("Relationship safety questions"),
     _("Your answers to the private questions about safety with a partner. Never shown to a partner."),
     {THERAPIST}, set(), seen=_("Their answers to the relationship safety questions"))
_add("reflections", _("Reflections you chose to share"), _("Reflections from Learn pieces that you marked as shared."),
     {THERAPIST}, set(), free_text=True, seen=_("Reflections they chose to share"))


# Issue 16: the partner's view of a person's mood on the couple trend page is its own scope,
# granted by the person (the couple preferences toggle grants and withdraws it), never by default.
_add("mood_talk_days", _("Your mood on talk days"),
     _("How your check-in mood went on days after a couple talk, as a summary on the couple trend page. Never your notes."),
     {PARTNER}, set(), seen=_("Their mood on talk days"))


def default_scopes(kind: str) -> list[str]:
    return [s.key for s in SCOPES.values() if kind in s.default_for]


def scopes_for(kind: str) -> list[Scope]:
    return [s for s in SCOPES.values() if kind in s.kinds]


def validate_scopes(kind: str, keys: list[str]) -> list[str]:
    allowed = {s.key for s in scopes_for(kind)}
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise ValueError(f"Unknown scope for a {kind} link: {', '.join(sorted(unknown))}")
    return sorted(set(keys))
