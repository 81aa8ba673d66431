"""The weekly suggestion on the home page."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory

from nearer.learn import content, home
from nearer.learn.models import ReadMark

pytestmark = pytest.mark.django_db

# A Wednesday afternoon in New York.
NOW = datetime(2026, 3, 11, 15, 0, tzinfo=ZoneInfo("America/New_York"))


def _no_activity(monkeypatch) -> None:
    monkeypatch.setattr(home, "recent_activity", lambda person, since, until: Counter())


def test_week_start_is_local_monday(world) -> None:
    world.owner.timezone = "America/New_York"
    start = home.week_start(world.owner, NOW)
    assert start.isoformat() == "2026-03-09T00:00:00-04:00"
    # Sunday late evening local is still the same week.
    assert home.week_start(world.owner, datetime(2026, 3, 15, 23, 30, tzinfo=ZoneInfo("America/New_York"))) == start


def test_same_week_same_piece_and_next_week_may_differ(world, monkeypatch) -> None:
    _no_activity(monkeypatch)
    first = home.suggestion(world.owner, NOW)
    assert first is not None
    for days in (1, 2, 3):
        again = home.suggestion(world.owner, NOW + timedelta(days=days))
        assert again is not None and again["piece"].slug == first["piece"].slug
    later = {home.suggestion(world.owner, NOW + timedelta(weeks=w))["piece"].slug for w in range(6)}
    assert len(later) > 1


def test_fallback_is_an_unread_piece(world, monkeypatch) -> None:
    _no_activity(monkeypatch)
    earlier = NOW - timedelta(days=20)
    for slug in content.slugs():
        if slug != "guarded":
            ReadMark.objects.create(person=world.owner, slug=slug, read_at=earlier)
    pick = home.suggestion(world.owner, NOW)
    assert pick is not None
    assert pick["piece"].slug == "guarded" and pick["read"] is False and pick["tools"] == []


def test_matches_recent_activity(world, monkeypatch) -> None:
    monkeypatch.setattr(home, "recent_activity", lambda person, since, until: Counter({"ladder": 4}))
    pick = home.suggestion(world.owner, NOW)
    assert pick is not None
    # The piece that explains the ladder comes before pieces that merely share a topic.
    assert pick["piece"].slug == "small-steps"
    assert pick["tools"] == ["ladder"]
    assert str(pick["tool_labels"][0]) == "your ladder of small steps"


def test_topic_match_when_the_tools_piece_is_read(world, monkeypatch) -> None:
    monkeypatch.setattr(home, "recent_activity", lambda person, since, until: Counter({"ladder": 4}))
    ReadMark.objects.create(person=world.owner, slug="small-steps", read_at=NOW - timedelta(days=10))
    pick = home.suggestion(world.owner, NOW)
    assert pick is not None
    assert set(pick["piece"].topics) & home.TOOL_TOPICS["ladder"]
    assert pick["piece"].slug != "small-steps"


def test_together_activity_picks_a_together_piece(world, monkeypatch) -> None:
    monkeypatch.setattr(home, "recent_activity", lambda person, since, until: Counter({"together": 2, "checkin": 9}))
    picks = {home.suggestion(world.owner, NOW + timedelta(weeks=w))["piece"].slug for w in range(8)}
    expected = {p.slug for p in content.all_pieces("en") if p.related_tool in ("together", "checkin")}
    assert picks <= expected and len(picks) > 1


def test_a_piece_read_this_week_stays_and_is_marked(world, monkeypatch) -> None:
    _no_activity(monkeypatch)
    first = home.suggestion(world.owner, NOW)
    assert first is not None
    ReadMark.objects.create(person=world.owner, slug=first["piece"].slug, read_at=NOW - timedelta(hours=1))
    again = home.suggestion(world.owner, NOW)
    assert again is not None and again["piece"].slug == first["piece"].slug and again["read"] is True
    # Next week it has left the running.
    for weeks in range(1, 4):
        nxt = home.suggestion(world.owner, NOW + timedelta(weeks=weeks))
        assert nxt is not None and nxt["piece"].slug != first["piece"].slug


def test_partner_pieces_only_for_partners(world, monkeypatch) -> None:
    _no_activity(monkeypatch)
    # The unlinked person has no partner: never a partner piece, any week.
    slugs = {home.suggestion(world.unlinked, NOW + timedelta(weeks=w))["piece"].slug for w in range(20)}
    partner_slugs = {p.slug for p in content.all_pieces("en") if p.audience == "partner"}
    assert not slugs & partner_slugs


def test_nothing_left_returns_none(world, monkeypatch) -> None:
    _no_activity(monkeypatch)
    for slug in content.slugs():
        ReadMark.objects.create(person=world.owner, slug=slug, read_at=NOW - timedelta(days=30))
    assert home.suggestion(world.owner, NOW) is None


def test_recent_activity_reads_the_registry_without_errors(world) -> None:
    counts = home.recent_activity(world.owner, NOW - timedelta(days=28), NOW)
    assert all(tool in home.TOOL_TOPICS for tool in counts)
    assert all(n > 0 for n in counts.values())


def test_tools_for_model_names() -> None:
    assert home._tools_for_model("practice", "ladderstep") == ("ladder",)
    assert home._tools_for_model("practice", "experiment") == ("experiments",)
    assert home._tools_for_model("practice", "presentorpastrecord") == ("present_or_past",)
    assert home._tools_for_model("diary", "checkin") == ("checkin", "loop")
    assert home._tools_for_model("learn", "reflection") == ()


def test_panel_only_for_people(world) -> None:
    rf = RequestFactory()
    request = rf.get("/")
    request.user = world.therapist
    assert home.panel(request) is None
    request.user = world.owner
    ReadMark.objects.create(person=world.owner, slug="loop")
    p = home.panel(request)
    assert p is not None and p["read_count"] == 1 and p["total"] == len(content.slugs())


def test_home_page_shows_the_panel(client_as, world) -> None:
    page = client_as("owner").get("/").content.decode()
    assert "This week&#x27;s reading" in page or "This week's reading" in page
    assert "/learn/" in page


def test_recent_activity_counts_rows_inside_the_window(world, monkeypatch) -> None:
    from nearer.learn.models import Reflection

    # Pretend Learn's own reflections stood for the loop tool, to exercise the window.
    monkeypatch.setitem(home._APP_TOOLS, "learn", ("loop",))
    start = home.week_start(world.owner, NOW)
    for days_before in (1, 27, 29):
        Reflection.objects.create(person=world.owner, slug="loop", text="x", created_at=start - timedelta(days=days_before))
    Reflection.objects.create(person=world.owner, slug="loop", text="x", created_at=start + timedelta(hours=3))
    Reflection.objects.create(person=world.partner, slug="loop", text="x", created_at=start - timedelta(days=2))
    counts = home.recent_activity(world.owner, start - timedelta(days=home.ACTIVITY_DAYS), start)
    assert counts["loop"] == 2


def test_own_activity_never_picks_a_partner_piece(world, monkeypatch) -> None:
    # Sam is also Alex's partner, but Sam's safety plan is about Sam.
    monkeypatch.setattr(home, "recent_activity", lambda person, since, until: Counter({"safety_plan": 3}))
    picks = {home.suggestion(world.owner, NOW + timedelta(weeks=w))["piece"].slug for w in range(8)}
    assert picks == {"help-now"}
