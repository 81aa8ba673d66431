"""Demo: Sam answered the private relationship-safety questions once (all no); couple features stay on."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from nearer.relsafety import hark
from nearer.relsafety.models import OfferState, PrivateSettings, Screen


def populate(world: Any) -> None:
    sam = world.sam
    Screen.objects.create(
        person=sam, created_at=world.now - timedelta(days=30), language="en",
        result_json=json.dumps({"answers": {k: hark.NO for k in hark.ITEMS}, "score": 0, "positive": False,
                                "unsure": False}),
    )
    PrivateSettings.objects.create(person=sam, offer_state=OfferState.ANSWERED)
