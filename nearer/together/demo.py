"""Demo history: Sam and Alex have 15 talks over 8 weeks, moving from the day's events to more
personal and then vulnerable prompts, with "heard" mostly rising and a couple of misses."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import numpy as np

from nearer.together import services
from nearer.together.models import Conversation, Couple, Rating, Rhythm

# (days before now, depth, Sam heard, Alex heard, shared by both) — two misses (days 38 and 17).
TALKS = [
    (55, 1, 5, 6), (52, 1, 6, 5), (48, 1, 6, 7), (45, 1, 7, 7), (41, 1, 8, 7),
    (38, 2, 4, 7), (34, 2, 7, 7), (31, 2, 7, 8), (27, 2, 8, 8), (24, 2, 8, 7),
    (20, 2, 8, 9), (17, 3, 5, 3), (13, 3, 8, 8), (6, 3, 9, 8), (3, 3, 9, 9),
]
NOTES = {
    38: "I got defensive when we talked about money. Next time I want to listen first.",
    17: "That one was too much for a Tuesday night. Better on a weekend.",
    3: "Felt like the early days again.",
}


def populate(world: Any) -> None:
    sam, alex, now = world.sam, world.alex, world.now
    rng = np.random.default_rng(world.seed + 7)
    couple = services.couple_for(sam)
    if couple is None:
        return
    start = now - timedelta(days=57)
    Couple.objects.filter(pk=couple.pk).update(started_at=start)
    rhythm = services.propose_rhythm(sam, [1, 3, 6], time(20, 30))
    services.confirm_rhythm(alex, rhythm.pk)
    Rhythm.objects.filter(pk=rhythm.pk).update(created_at=start, confirmed_at=start + timedelta(hours=3))
    services.set_preferences(sam, mood_compare=True)
    services.set_preferences(alex, mood_compare=True)
    for days_ago, depth, sam_heard, alex_heard in TALKS:
        couple.depth = depth
        couple.save(update_fields=["depth"])
        prompt = services.offered_prompts(couple, depth, n=1)[0]
        conv = services.start_conversation(sam if days_ago % 2 else alex, prompt.id)
        services.answer_readiness(sam, conv, True)
        services.answer_readiness(alex, conv, True)
        miss = sam_heard < 6 or alex_heard < 6
        for person, heard in ((sam, sam_heard), (alex, alex_heard)):
            jitter = int(rng.integers(-1, 2))
            services.rate_conversation(
                person, conv,
                heard=heard,
                accepted=int(np.clip(heard + jitter, 0, 10)),
                close=int(np.clip(heard - 1 + jitter, 0, 10)),
                defensive=int(np.clip((6 if miss else 3) - jitter, 0, 10)),
                note=NOTES.get(days_ago, "") if person is sam else "",
                share=True,
            )
        when = now - timedelta(days=days_ago, hours=2)
        Conversation.objects.filter(pk=conv.pk).update(created_at=when, talked_at=when + timedelta(minutes=5))
        Rating.objects.filter(conversation=conv).update(created_at=when + timedelta(minutes=40))
    # One evening that wasn't the right one, saved for later.
    couple.depth = 3
    couple.save(update_fields=["depth"])
    prompt = services.offered_prompts(couple, 3, n=1)[0]
    conv = services.start_conversation(alex, prompt.id)
    services.answer_readiness(alex, conv, True)
    services.answer_readiness(sam, conv, False)
    services.mark_prompt(sam, prompt.id, "saved")
    Conversation.objects.filter(pk=conv.pk).update(created_at=now - timedelta(days=10))
