"""Demo: Sam's worksheet (two versions), a five-step ladder, six experiments (five did not end
the way Sam feared, one partly) and four present-or-past records; one pending suggestion from
Dr. Rivera."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from nearer.practice.models import (
    Experiment,
    FormulationVersion,
    LadderStep,
    MomentRecord,
    StepSource,
    SuggestionKind,
    TherapistSuggestion,
)

WORKSHEET = {
    "past_closeness": ["unpredictable", "dismissed"],
    "expectation": "If I show I need something, people get tired of me and pull back.",
    "moves": ["humour", "managing-alone", "not-voicing-needs"],
    "once_job": "Joking and handling things myself kept me out of the way when home was tense.",
    "cost": "Alex says it's hard to know what I feel. I end up lonely on the days I most need company.",
    "switch_on": "In the evening, when Alex is quiet or on the phone.",
    "small_step": "Tell Alex one worry from my day instead of saying I'm fine.",
}

STEPS = [
    ("good-news-first", "", 15, StepSource.SUGGESTED),
    ("one-worry", "", 30, StepSource.SUGGESTED),
    ("", "Tell Alex I missed them on a long workday", 35, StepSource.OWN),
    ("say-need-directly", "", 45, StepSource.SUGGESTED),
    ("let-partner-comfort", "", 60, StepSource.THERAPIST),
]

# (step index, days ago, fear, belief before, expected anxiety, what happened, outcome, belief after,
#  actual anxiety, learned)
EXPERIMENTS = [
    (0, 34, "Alex will barely react.", 70, 40, "Alex hugged me and asked lots of questions.", "no", 35, 30,
     "Alex likes hearing my news first."),
    (0, 29, "It will feel awkward and forced.", 60, 35, "It felt a bit odd, then normal.", "no", 30, 25,
     "The awkward part passes quickly."),
    (1, 23, "Alex will think I'm too needy.", 80, 60, "Alex listened and said thanks for telling them.", "no", 45, 50,
     "Sharing a worry didn't push Alex away."),
    (1, 16, "Alex will change the subject.", 70, 55, "Alex was distracted at first, then put the phone down.",
     "partly", 50, 40, "A slow start isn't the same as not caring."),
    (2, 10, "Alex will laugh it off.", 65, 50, "Alex said they missed me too.", "no", 30, 35,
     "Saying it first was easier than I thought."),
    (2, 4, "I'll regret saying it.", 55, 45, "We had a warm evening.", "no", 20, 25, "I don't regret it."),
]

RECORDS = [
    ("late_reply", 30, "Alex didn't answer my message for four hours.", "dont_care", [("hurt", 75), ("anxious", 70)],
     "Waiting by the phone as a kid.", "No reply for hours.", "Alex had back-to-back meetings today.",
     "Alex was busy, not ignoring me.", 35),
    ("quiet_evening", 21, "We barely talked over dinner.", "leaving", [("lonely", 70), ("scared", 60)],
     "Silent dinners at home before a row.", "Alex seemed far away.", "Alex said earlier they had a headache.",
     "Alex was tired and unwell.", 30),
    ("late_reply", 12, "No goodnight text while Alex was away.", "not_enough", [("rejected", 65)],
     "Being forgotten at pick-up.", "It was late.", "Alex called first thing in the morning.",
     "Alex fell asleep early.", 25),
    ("partner_busy", 5, "Alex worked all weekend.", "on_my_own", [("lonely", 60), ("frustrated", 50)],
     "Managing on my own growing up.", "We had no time together.", "Alex planned Sunday dinner for us.",
     "A deadline, not a choice against me.", 30),
]


def populate(world: Any) -> None:
    now = world.now
    sam = world.sam
    early = dict(WORKSHEET, moves=["humour", "managing-alone"], cost="Alex says it's hard to know what I feel.",
                 small_step="")
    FormulationVersion.objects.create(owner=sam, number=1, created_at=now - timedelta(days=45), **early)
    FormulationVersion.objects.create(owner=sam, number=2, created_at=now - timedelta(days=20), **WORKSHEET)

    steps = []
    for i, (sid, text, difficulty, source) in enumerate(STEPS):
        steps.append(LadderStep.objects.create(owner=sam, suggestion_id=sid, text=text, difficulty=difficulty,
                                               source=source, created_at=now - timedelta(days=40 - i)))

    for (idx, days, fear, before, expected, happened, outcome, after, actual, learned) in EXPERIMENTS:
        planned = now - timedelta(days=days, hours=-19)
        Experiment.objects.create(
            owner=sam, step=steps[idx], planned_for=planned, fear=fear, belief_before=before, expected_anxiety=expected,
            created_at=planned - timedelta(days=1), done_at=planned + timedelta(hours=3), what_happened=happened,
            outcome=outcome, belief_after=after, actual_anxiety=actual, learned=learned,
        )

    for (kind, days, happened, reading, feelings, echo, ev_for, ev_against, other, after) in RECORDS:
        at = now - timedelta(days=days, hours=2)
        MomentRecord.objects.create(
            owner=sam, created_at=at, kind=kind, what_happened=happened, first_reading_id=reading,
            feelings=[{"id": f, "strength": s} for f, s in feelings], intensity_before=max(s for _, s in feelings),
            echo=echo, evidence_for=ev_for, evidence_against=ev_against, other_reading=other, intensity_after=after,
            current_step="done", completed_at=at + timedelta(minutes=12),
        )

    TherapistSuggestion.objects.create(client=sam, therapist=world.rivera, kind=SuggestionKind.LADDER_STEP,
                                       suggestion_id="stay-in-the-room", difficulty=55,
                                       note="When you feel ready, after the steps you've already done.",
                                       created_at=now - timedelta(days=2))
