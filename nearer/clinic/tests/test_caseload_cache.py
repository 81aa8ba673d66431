"""The caseload's per-client check-in facts, cached with a shared cache (``nearer.home_cache``): a write
shows on the next caseload, every visit still logs every read, and a visit with nothing changed runs
none of the check-in queries."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nearer.clinic import fixtures, queries
from nearer.privacy.models import AccessLog

# Redis stands in as a shared cache without database queries (locmem here, in one process).
SHARED = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "caseload-facts-test"}}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def fresh_cache() -> Any:
    with override_settings(NEARER_HOME_CACHE=True, CACHES=SHARED):
        cache.clear()  # ids repeat across tests' rolled-back databases
        yield
        cache.clear()


def _visit(c: Any) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(reverse("clinic:caseload"))
    assert r.status_code == 200
    return html.unescape(r.content.decode()), [q["sql"] for q in ctx.captured_queries]


def _row(page: str, name: str) -> str:
    start = page.index(f">{name}</a></th>")
    return page[start:page.index("</tr>", start)]


def _checkin_queries(sqls: list[str]) -> int:
    return sum('FROM "diary_checkin"' in q for q in sqls)


def test_a_write_shows_on_the_next_caseload_and_every_visit_is_logged(world: Any, client_as: Any, monkeypatch: Any) -> None:
    from nearer.clinic.tests.test_critical_and_report import phq9
    from nearer.diary.models import CheckIn

    jo = fixtures.make_client("jo@example.test", "Jo Quiet", world.therapist)
    today = fixtures.today_for(jo)
    fixtures.add_history(jo, days=10, end=today - timedelta(days=1), phq9=[], rng=np.random.default_rng(2))
    c = client_as("therapist")
    c.get(reverse("clinic:caseload"))  # the first visit records the browser session and fills the cache
    page, sqls = _visit(c)
    assert "10-day streak" in _row(page, "Jo Quiet")
    assert _checkin_queries(sqls) == 0  # nothing changed: the facts come from the cache
    logged = AccessLog.objects.filter(owner=jo, viewer=world.therapist)
    assert logged.count() == 2 * 3  # ... and the reads are logged all the same, three scopes a visit

    # A new check-in (a save through the model, as every service does) shows at once.
    CheckIn.objects.create(person=jo, local_date=today, mood=3, closeness=2)
    page, sqls = _visit(c)
    assert "11-day streak" in _row(page, "Jo Quiet")
    assert _checkin_queries(sqls) > 0
    assert logged.count() == 3 * 3

    # A deleted check-in too.
    CheckIn.objects.filter(person=jo, local_date=today).delete()
    assert "10-day streak" in _row(_visit(c)[0], "Jo Quiet")

    # A new questionnaire (its critical answer raises an alert): PHQ-9, critical answer and alert.
    phq9(jo, item9=2, rest=2)
    row = _row(_visit(c)[0], "Jo Quiet")
    assert "18 · Moderately severe" in row, row
    assert "PHQ-9 item 9: 2" in row and "Open alert" in row

    # Another client's write changes only that client's row; Jo's facts stay cached.
    other = fixtures.make_client("kim@example.test", "Kim Other", world.therapist)
    _visit(c)
    CheckIn.objects.create(person=other, local_date=fixtures.today_for(other), mood=6, closeness=6)
    computed: list[list[int]] = []
    real = queries.checkin_facts

    def recording(pids: list[int], *rest: Any) -> Any:
        computed.append(sorted(pids))
        return real(pids, *rest)

    monkeypatch.setattr(queries, "checkin_facts", recording)
    page, sqls = _visit(c)
    assert "1-day streak" in _row(page, "Kim Other")
    assert "10-day streak" in _row(page, "Jo Quiet")
    assert computed == [[other.pk]]
    assert logged.count() == 7 * 3


def test_an_alert_and_narrowed_scopes_show_on_the_next_caseload(world: Any, client_as: Any) -> None:
    from nearer.accounts.models import Link

    lee = fixtures.make_client("lee@example.test", "Lee Alert", world.therapist)
    fixtures.add_history(lee, days=5, end=fixtures.today_for(lee), phq9=[], rng=np.random.default_rng(4))
    c = client_as("therapist")
    c.get(reverse("clinic:caseload"))
    assert "5-day streak" in _row(_visit(c)[0], "Lee Alert")
    fixtures.add_alert(lee, world.therapist, level="urgent")
    assert "Urgent alert" in _row(_visit(c)[0], "Lee Alert")
    # The person narrows what they share: the next caseload hides it (and logs only what is shown).
    link = Link.objects.get(owner=lee, viewer=world.therapist)
    link.scopes = ["measures"]
    link.save()
    before = AccessLog.objects.filter(owner=lee).count()
    row = _row(_visit(c)[0], "Lee Alert")
    assert "streak" not in row and "Hidden by the client's choice" in row
    assert list(AccessLog.objects.filter(owner=lee).order_by("-pk").values_list("scope", flat=True)[:1]) == ["measures"]
    assert AccessLog.objects.filter(owner=lee).count() == before + 1


def test_a_write_moves_the_version_again_when_it_commits(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    """A caseload computed between the write and its commit read the old rows under the new version:
    the second move, at commit, sends the next one back to the database."""
    from nearer import home_cache
    from nearer.diary.models import CheckIn

    jo = fixtures.make_client("jo@example.test", "Jo Quiet", world.therapist)
    key = home_cache._version_key(jo.pk)
    cache.set(key, 1, None)
    with django_capture_on_commit_callbacks(execute=True):
        CheckIn.objects.create(person=jo, local_date=fixtures.today_for(jo), mood=3, closeness=2)
        assert cache.get(key) == 2
    assert cache.get(key) == 3


def test_imported_check_ins_show_on_the_next_caseload(world: Any, client_as: Any) -> None:
    """An import writes with bulk_create (no post_save signal): the service says what changed."""
    from nearer.diary.services import import_checkins

    jo = fixtures.make_client("jo@example.test", "Jo Quiet", world.therapist)
    today = fixtures.today_for(jo)
    c = client_as("therapist")
    c.get(reverse("clinic:caseload"))
    assert "0-day streak" in _row(_visit(c)[0], "Jo Quiet")
    rows = [{"line": k + 2, "local_date": today - timedelta(days=k), "values": {"mood": 5, "closeness": 5}}
            for k in range(3)]
    assert import_checkins(jo, rows).created == 3
    assert "3-day streak" in _row(_visit(c)[0], "Jo Quiet")
