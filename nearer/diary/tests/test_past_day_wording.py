"""A check-in filled in later asks about that day, not about "today"."""

from __future__ import annotations

import html
from datetime import timedelta

from django.urls import reverse

from nearer.diary.models import local_today


def test_a_past_day_asks_about_that_day(world, client_as):
    yesterday = local_today(world.owner) - timedelta(days=1)
    page = html.unescape(client_as("owner").get(reverse("diary:checkin-edit", kwargs={"day": yesterday.isoformat()})).content.decode())
    assert "Mood that day" in page and "That day I felt heard" in page and "Hours slept the night before" in page
    assert "Mood today" not in page and "Today I felt heard" not in page and "Stressors today" not in page


def test_today_still_asks_about_today(world, client_as):
    page = html.unescape(client_as("owner").get(reverse("diary:checkin")).content.decode())
    assert "Mood today" in page and "Today I felt heard" in page and "Mood that day" not in page


def test_a_past_day_in_spanish(world, client_as):
    yesterday = local_today(world.owner) - timedelta(days=1)
    url = reverse("diary:checkin-edit", kwargs={"day": yesterday.isoformat()})
    page = html.unescape(client_as("owner").get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Ánimo ese día" in page and "Ese día me sentí escuchado/a" in page
