"""The caseload table's rows are built in Python (``queries.row_html``) for speed: they must be the
markup the template used to render, byte for byte, for every kind of row, in English and Spanish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from nearer.clinic import fixtures, queries

# The row markup as it was in clinic/caseload.html before the rows moved to Python (issue 17).
REFERENCE = Template("""{% load i18n %}{% translate "Client" as t_client %}{% translate "Safety" as t_safety %}{% translate "Critical answers" as t_critical %}{% translate "Latest PHQ-9" as t_phq9 %}{% translate "Check-ins" as t_checkins %}{% translate "Loop, last 4 weeks" as t_loop %}{% translate "Last activity" as t_activity %}{% translate "Reliable deterioration" as t_worse %}{% for r in rows %}{% with s=r.shown %}
  <tr{% if r.alerts %} class="has-alert"{% endif %}>
    <th scope="row" data-label="{{ t_client }}"><a href="{{ s.url }}">{{ r.client.name }}</a></th>
    <td data-label="{{ t_safety }}"{% if not r.alerts %} class="none"{% endif %}>{% for a in r.alerts %}<strong>{% if a.level == "urgent" %}{% translate "Urgent alert" %}{% else %}{% translate "Alert" %}{% endif %} ({{ a.get_state_display }})</strong> <a href="{% url 'safety:alert-detail' a.pk %}">{% translate "Open alert" %}</a>{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="muted">—</span>{% endfor %}</td>
    <td data-label="{{ t_critical }}" class="critical{% if r.allowed.measures and not s.critical %} none{% endif %}">{% if not r.allowed.measures %}{{ s.phq9 }}{% else %}{% for c in s.critical %}{% if c.positive %}<strong>{{ c.text }}</strong>{% if c.after %}<br><span class="muted">{{ c.after }}</span>{% endif %}{% else %}{{ c.text }}{% endif %}{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="muted">—</span>{% endfor %}{% endif %}</td>
    <td data-label="{{ t_phq9 }}">{{ s.phq9 }}{% if r.deteriorating %} · <strong>{{ t_worse }}</strong>{% endif %}{% if s.overdue %} · {{ s.overdue }}{% endif %}</td>
    <td data-label="{{ t_checkins }}">{{ s.checkins }}</td>
    <td data-label="{{ t_loop }}">{{ s.loop }}</td>
    <td data-label="{{ t_activity }}">{{ s.activity }}</td>
  </tr>
{% endwith %}{% endfor %}""")


def _every_kind_of_row(world: Any) -> None:
    from nearer.clinic.tests.test_critical_and_report import phq9
    from nearer.measures import services as msvc
    from nearer.measures.models import DueMeasure
    from nearer.safety.models import Alert

    rng = np.random.default_rng(11)
    today = fixtures.today_for(world.owner)
    worse = fixtures.make_client("worse@example.test", "O'Brien & <Sons> \"Q\"", world.therapist)
    fixtures.add_history(worse, days=30, end=today, phq9=[8, 16], rng=rng)
    fixtures.add_alert(worse, world.therapist, level="urgent", state="acknowledged")
    # a second, older alert still open (two in one cell)
    Alert.objects.create(person=worse, therapist=world.therapist, level="concern", first_source="diary.checkin",
                         last_source="diary.checkin", created_at=timezone.now() - timedelta(days=2))
    positive = fixtures.make_client("pos@example.test", "Pos Itive", world.therapist)
    fixtures.add_history(positive, days=20, end=today - timedelta(days=3), phq9=[], rng=rng)
    phq9(positive, item9=2)  # raises an alert: the critical answer has an "after" line
    calm = fixtures.make_client("calm@example.test", "Casey Calm", world.therapist)
    fixtures.add_history(calm, days=40, end=today, phq9=[14, 9, 6], rng=rng, mood_start=3, mood_end=8)
    phq9(calm, item9=0)
    fixtures.make_client("checkins@example.test", "Only Checkins", world.therapist, scopes=["checkins"])
    due = fixtures.make_client("due@example.test", "Due Soon", world.therapist, scopes=["measures"])
    prop = msvc.propose_schedule(world.therapist, due, "phq9", 7, 3)
    now = timezone.now()
    for k in (1, 2):
        DueMeasure.objects.create(schedule=prop, person=due, instrument_id="phq9", due_at=now - timedelta(days=k),
                                  window_ends_at=now + timedelta(days=2))
    fixtures.make_client("new@example.test", "New Person", world.therapist)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_rows_are_the_template_markup(world: Any, client_as: Any, language: str) -> None:
    _every_kind_of_row(world)
    with translation.override(language):
        data = queries.caseload(world.therapist)
        queries.caseload_words(data["rows"])
        rows = data["rows"]
        assert len(rows) == 7
        expected = REFERENCE.render(Context({"rows": rows}))
        got = "".join(r.shown["html"] for r in rows)
    assert got == expected
    for needle in ('</a><br><strong>', 'class="has-alert"', '<br><span class="muted">', 'class="critical none"', "&lt;Sons&gt;", "&#x27;",
                   "2 questionnaires overdue" if language == "en" else "2 cuestionarios pendientes"):
        assert needle in got, needle
    # and the page carries them between its <tbody> tags
    c = client_as("therapist")
    c.cookies["django_language"] = language
    page = c.get(reverse("clinic:caseload")).content.decode()
    body = page[page.index("<tbody>\n") + len("<tbody>\n"):page.index("\n  </tbody>")]
    assert body.count('<th scope="row"') == 7 and body.count("<tr") == 7
