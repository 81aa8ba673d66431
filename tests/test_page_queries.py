"""Query counts of a therapist's caseload, client page and loop pages: bounded, and not growing with
the number of clients or a client's history.

The caseload's own guard (5 against 50 clients) is in nearer/clinic/tests/test_caseload.py, the
200-client case (the load benchmark's caseload) here; the home page's in tests/test_home_queries.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nearer.clinic import fixtures
from nearer.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

#: Session, user, sign-in bookkeeping and MFA middleware take about 10 of these on every page.
CLIENT_PAGE_MAX = 40
LOOP_PAGE_MAX = 16
CASELOAD_MAX = 22


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    table = AccessLog._meta.db_table
    return len([q for q in ctx.captured_queries if not q["sql"].startswith(f'INSERT INTO "{table}"')])


@pytest.mark.parametrize("url_name", ["clinic:client-detail", "diary:client-loop", "diary:client-trends"])
def test_therapist_pages_do_not_grow_with_history(world: Any, client_as: Any, url_name: str) -> None:
    rng = np.random.default_rng(3)
    short = fixtures.make_client("short@example.test", "Short", world.therapist)
    fixtures.add_history(short, days=20, end=fixtures.today_for(short), phq9=[12, 10], rng=rng)
    long = fixtures.make_client("long@example.test", "Long", world.therapist)
    fixtures.add_history(long, days=200, end=fixtures.today_for(long), phq9=[14, 12, 11, 9, 9, 8, 7, 7, 6], rng=rng)
    # Both have an alert (an alert adds one constant query for its trigger kinds): only history differs.
    fixtures.add_alert(short, world.therapist)
    fixtures.add_alert(long, world.therapist)
    c = client_as("therapist")
    key = "pk" if url_name.startswith("clinic") else "client_id"
    c.get(reverse(url_name, kwargs={key: short.pk}))  # the first visit records the browser session
    small = _count(c, reverse(url_name, kwargs={key: short.pk}))
    large = _count(c, reverse(url_name, kwargs={key: long.pk}))
    assert small == large, (small, large)
    assert large <= (CLIENT_PAGE_MAX if url_name == "clinic:client-detail" else LOOP_PAGE_MAX), large


def test_person_loop_page_is_bounded(world: Any, client_as: Any) -> None:
    from nearer.diary.tasks import refit_loops

    rng = np.random.default_rng(4)
    fixtures.add_history(world.owner, days=120, end=fixtures.today_for(world.owner), phq9=[10, 9], rng=rng)
    refit_loops()
    c = client_as("owner")
    c.get("/")
    assert _count(c, reverse("diary:loop")) <= LOOP_PAGE_MAX


def test_caseload_at_200_clients_is_as_many_queries_as_at_5(world: Any, client_as: Any) -> None:
    rng = np.random.default_rng(5)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            c = fixtures.make_client(f"cl{i}@example.test", f"Client {i}", world.therapist)
            fixtures.add_history(c, days=14, end=fixtures.today_for(c), phq9=[12, 10], rng=rng)

    add(5, 0)
    fixtures.add_alert(world.owner, world.therapist)
    c = client_as("therapist")
    c.get(reverse("clinic:caseload"))  # the first visit records the browser session
    small = _count(c, reverse("clinic:caseload"))
    add(195, 5)
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(reverse("clinic:caseload"))
    assert r.content.decode().count('<th scope="row"') == 201  # the persona "owner" is a client too
    table = AccessLog._meta.db_table
    large = len([q for q in ctx.captured_queries if not q["sql"].startswith(f'INSERT INTO "{table}"')])
    assert large == small, (small, large)
    assert large <= CASELOAD_MAX, large
