from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nearer.clinic import fixtures
from nearer.clinic.queries import caseload, loop_direction, streak_of
from nearer.privacy.models import AccessLog


def _clients(world: Any, n: int, seed: int = 1, start: int = 0) -> list[Any]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(start, start + n):
        c = fixtures.make_client(f"c{seed}-{i}@example.test", f"Client {i}", world.therapist)
        fixtures.add_history(c, days=30, end=fixtures.today_for(c), phq9=[12, 10, 9], rng=rng)
        out.append(c)
    return out


def _page_queries(c: Any) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(reverse("clinic:caseload"))
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode().count('<th scope="row"')


@pytest.mark.django_db
def test_caseload_queries_do_not_grow(world: Any, client_as: Any) -> None:
    clients = _clients(world, 5)
    fixtures.add_alert(clients[-1], world.therapist)
    c = client_as("therapist")
    c.get(reverse("clinic:caseload"))  # the first visit also records the browser session
    small, cards_small = _page_queries(c)
    _clients(world, 45, start=5)
    large, cards_large = _page_queries(c)
    assert (cards_small, cards_large) == (6, 51)  # the persona "owner" is a client too
    table = AccessLog._meta.db_table

    def kinds(sqls: list[str]) -> list[str]:
        # The access-log rows go in with bulk_create, which SQLite splits into inserts of 111 rows.
        return [q for q in sqls if not q.startswith(f'INSERT INTO "{table}"')]

    assert len(kinds(small)) == len(kinds(large))
    assert len(kinds(large)) <= 22  # about 10 for the page, the rest is session, sign-in and MFA middleware
    inserts = len(large) - len(kinds(large))
    # 153 rows, in as many statements as the database's batch size needs (111 rows on SQLite, one on PostgreSQL).
    from django.db import connection

    fields = [f for f in AccessLog._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [None] * 153) or 153
    assert inserts == -(-51 * 3 // batch)
    # 5 + 45 new clients plus the persona "owner": three scopes each, one row per client per scope, per visit
    assert AccessLog.objects.filter(viewer=world.therapist).count() == 2 * 6 * 3 + 51 * 3


@pytest.mark.django_db
def test_caseload_orders_alerts_then_deterioration(world: Any) -> None:
    rng = np.random.default_rng(7)
    today = fixtures.today_for(world.owner)
    calm = fixtures.make_client("calm@example.test", "Calm", world.therapist)
    fixtures.add_history(calm, days=30, end=today, phq9=[12, 8], rng=rng)
    worse = fixtures.make_client("worse@example.test", "Worse", world.therapist)
    fixtures.add_history(worse, days=30, end=today, phq9=[8, 16], rng=rng)
    alerted = fixtures.make_client("alert@example.test", "Alerted", world.therapist)
    fixtures.add_history(alerted, days=30, end=today, phq9=[10, 10], rng=rng)
    fixtures.add_alert(alerted, world.therapist, level="urgent")
    data = caseload(world.therapist)
    names = [r.name for r in data["rows"]]
    assert names[:2] == ["Alerted", "Worse"]
    worse_row = next(r for r in data["rows"] if r.name == "Worse")
    assert worse_row.deteriorating and worse_row.phq9.total == 16
    assert worse_row.phq9.change_label == "reliable_deterioration"
    assert worse_row.streak == 30
    only_alerts = caseload(world.therapist, filter_key="alerts")["rows"]
    assert [r.name for r in only_alerts] == ["Alerted"]
    by_phq = [r.name for r in caseload(world.therapist, sort="phq9")["rows"]]
    assert by_phq[0] == "Worse"


@pytest.mark.django_db
def test_narrowed_scopes_hide_columns_and_are_not_logged(world: Any, client_as: Any) -> None:
    narrow = fixtures.make_client("narrow@example.test", "Narrow", world.therapist, scopes=["checkins"])
    fixtures.add_history(narrow, days=20, end=fixtures.today_for(narrow), phq9=[21], rng=np.random.default_rng(3))
    response = client_as("therapist").get(reverse("clinic:caseload"))
    body = html.unescape(response.content.decode())
    assert "Hidden by the client's choice" in body
    assert "21 · Severe" not in body
    logged = set(AccessLog.objects.filter(owner=narrow).values_list("scope", flat=True))
    assert logged == {"checkins"}


@pytest.mark.django_db
def test_caseload_denied_without_mfa_and_empty_state(world: Any, client_as: Any) -> None:
    assert client_as("therapist_no_mfa").get(reverse("clinic:caseload")).status_code == 403
    body = client_as("other_therapist").get(reverse("clinic:caseload")).content.decode()
    assert "invitation link" in body


def test_streak_and_loop_direction() -> None:
    today = timezone.localdate()
    days = {today - timedelta(days=i) for i in range(5)} | {today - timedelta(days=7)}
    assert streak_of(days, today) == 5
    assert streak_of(days - {today}, today) == 4
    assert streak_of(set(), today) == 0
    falling = [(today - timedelta(days=27 - i), 8 - i // 5, 8 - i // 5) for i in range(28)]
    assert loop_direction(falling, today) == "down"
    # no check-in today: still four weeks of data up to yesterday's
    assert loop_direction(falling[:-1], today) == "down"
    assert loop_direction(falling[-5:], today) == "not_enough"
    flat = [(d, 5, 5) for d, _m, _c in falling]
    assert loop_direction(flat, today) == "steady"
    apart = [(d, m, 10 - m) for d, m, _c in falling]
    assert loop_direction(apart, today) == "mixed"
    # older days are ignored
    assert loop_direction([(d - timedelta(days=40), m, c) for d, m, c in falling], today) == "not_enough"
