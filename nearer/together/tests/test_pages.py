"""What Sam and Alex read on the Together pages: times in their own zone, honest statuses, no silent zeros."""

from __future__ import annotations

import html
from datetime import time
from typing import Any

from django.urls import reverse

from nearer.together import services


def test_next_talk_is_shown_in_the_persons_own_time_zone(world: Any, client_as: Any) -> None:
    world.owner.timezone = "America/New_York"
    world.owner.save(update_fields=["timezone"])
    every_day = [0, 1, 2, 3, 4, 5, 6]
    services.confirm_rhythm(world.partner, services.propose_rhythm(world.owner, every_day, time(20, 30)).pk)
    page = client_as("owner").get(reverse("together:index")).content.decode()
    assert "You agreed on" in page and "at 20:30" in page
    # The next talk is the agreed local evening, not the same moment written in UTC (00:30 or 01:30).
    next_talk = page.split("Next talk:</strong>", 1)[1].split("</p>", 1)[0]
    assert next_talk.strip().endswith("20:30"), next_talk


def test_rating_lists_start_empty_and_saving_without_choosing_records_nothing(world: Any, talk: Any, client_as: Any) -> None:
    from nearer.together.models import Rating

    url = reverse("together:rate", args=[talk.pk])
    page = client_as("owner").get(url).content.decode()
    heard = page.split('name="heard"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected>Choose 0–10</option>' in heard
    resp = client_as("owner").post(url, {"note": "kept", "share": "on"})
    assert resp.status_code == 422
    assert Rating.objects.filter(conversation=talk).count() == 0
    body = resp.content.decode()
    assert body.count("Choose a number from 0 to 10.") == 4
    assert "kept</textarea>" in body  # what they wrote stays in the form


def test_talk_list_says_who_is_ready(world: Any, client_as: Any) -> None:
    conv = services.start_conversation(world.owner, "day-001")
    services.answer_readiness(world.owner, conv, True)
    sam = html.unescape(client_as("owner").get(reverse("together:index")).content.decode())
    alex = html.unescape(client_as("partner").get(reverse("together:index")).content.decode())
    assert "You're ready; waiting for your partner" in sam
    assert "Your partner is ready; waiting for you" in alex
    assert "Waiting for you both" not in sam + alex


def test_thank_you_after_rating_matches_whether_both_have_rated(world: Any, talk: Any, client_as: Any) -> None:
    url = reverse("together:rate", args=[talk.pk])
    values = {"heard": "7", "accepted": "6", "close": "6", "defensive": "3"}
    first = html.unescape(client_as("owner").post(url, values, follow=True).content.decode())
    assert "Your ratings stay private until you've both rated." in first
    second = html.unescape(client_as("partner").post(url, values, follow=True).content.decode())
    assert "You've both rated, so here is how it went." in second
    assert "stay private until" not in second


def test_once_both_are_ready_the_page_does_not_ask_them_to_pick_a_prompt_again(world: Any, talk: Any, client_as: Any) -> None:
    page = html.unescape(client_as("owner").get(reverse("together:conversation-detail", args=[talk.pk])).content.decode())
    assert "Take turns with tonight's prompt" in page
    assert "Pick a prompt" not in page
