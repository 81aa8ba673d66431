"""Trends, loop and factors pages: numbers match the engine, query counts stay flat, access is logged."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from numpy.testing import assert_allclose

from nearer.analysis.loop import fit_person_loop
from nearer.diary import queries
from nearer.diary.demo import SAM_COEF, seed_checkins
from nearer.diary.models import CheckIn, LoopPopulation, local_today
from nearer.diary.tasks import refit_loops
from nearer.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def _fill(person, moods_by_offset: dict[int, int], closeness: int = 5):
    today = local_today(person)
    CheckIn.objects.bulk_create([CheckIn(person=person, local_date=today - timedelta(days=k), mood=m, closeness=closeness)
                                 for k, m in moods_by_offset.items()])


def test_trend_sentence_on_a_known_diary(world):
    # Last 4 weeks alternate 4 and 6 (median 5); the 4 weeks before are all 4.
    _fill(world.owner, {k: (4 if k % 2 else 6) for k in range(28)} | {k: 4 for k in range(28, 56)})
    charts = {c["key"]: c for c in queries.trends_for(world.owner)["charts"]}
    assert charts["mood"]["summary"] == ("Over the last 4 weeks, your mood has mostly been between 4 and 6, "
                                         "a little higher than the 4 weeks before.")
    assert charts["closeness"]["summary"] == ("Over the last 4 weeks, how close you felt has mostly been around 5, "
                                              "about the same as the 4 weeks before.")
    geom = charts["mood"]["geometry"]
    assert len(geom["points"]) == 12 * 7 - 28 or len(geom["points"]) == 56  # every answered day in view is a dot
    assert geom["lines"] and geom["bands"]


def test_trend_sentence_with_few_checkins(world):
    _fill(world.owner, {0: 5, 1: 6})
    mood = queries.trends_for(world.owner)["charts"][0]
    assert mood["summary"] == "There are 2 check-ins in the last 4 weeks; a summary of your mood appears after 7."


def test_trends_page_has_accessible_svg_and_summary(world, client_as):
    seed_checkins(world.owner, 3)
    html = client_as("owner").get(reverse("diary:trends")).content.decode()
    assert html.count('role="img"') == 2 and "<title id=\"trend-mood-title\">" in html
    assert "Over the last 4 weeks, your mood has mostly been between" in html
    assert "style=" not in html and "<script>" not in html


def test_loop_page_needs_fourteen_pairs(world, client_as):
    _fill(world.owner, {k: 5 for k in range(5)})  # 5 days in a row ending today = 4 pairs
    loop = queries.loop_for(world.owner)
    assert (loop["n_pairs"], loop["enough"], loop["pairs_needed"], loop["days_needed"]) == (4, False, 10, 10)
    html = client_as("owner").get(reverse("diary:loop")).content.decode()
    assert "10 more days of check-ins in a row are needed" in html
    assert "There are 4 pairs so far; 14 are needed." in html


def test_days_needed_counts_the_restart_after_a_gap(world):
    _fill(world.owner, {k: 5 for k in range(5, 9)})  # 3 pairs, last one 5 days ago: a new chain must start
    loop = queries.loop_for(world.owner)
    assert (loop["pairs_needed"], loop["days_needed"]) == (11, 12)


def test_loop_numbers_match_the_engine(world, client_as):
    seed_checkins(world.owner, 20261121, coef=SAM_COEF)
    rows = list(CheckIn.objects.filter(person=world.owner).values_list("local_date", "mood", "closeness"))
    expected = fit_person_loop([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])  # default prior: 1 person
    page = client_as("owner").get(reverse("diary:loop"))
    loop = page.context["loop"]
    assert loop["n_pairs"] == expected.n_pairs >= 14
    for name in ("closeness_to_mood", "mood_to_closeness", "mood_inertia", "closeness_inertia"):
        want = getattr(expected, name)
        got = loop["effects"][name]
        assert_allclose([got["value"], got["low"], got["high"]], [want.value, want.low, want.high], rtol=0, atol=1e-12)
    c2m = expected.closeness_to_mood
    assert c2m.excludes_zero and c2m.value > 0
    html = page.content.decode()
    sentence = (f"On days after feeling closer than usual (by 1 point), mood tended to be {c2m.value:.1f} points higher "
                f"(likely between {c2m.low:.1f} and {c2m.high:.1f}).")
    assert sentence in html
    assert 'role="img"' in html and f"{c2m.value:.1f}</text>" in html
    assert "cause" not in " ".join(loop["sentences"].values())


def test_interval_crossing_zero_says_no_clear_pattern(world):
    from nearer.analysis.loop import Estimate, PersonLoop, PriorSource

    e = Estimate(0.1, -0.1, 0.3)
    fit = PersonLoop(30, 31, True, 0, e, Estimate(-0.4, -0.6, -0.2), e, Estimate(0.3, 0.02, 0.58), False, PriorSource.DEFAULT)
    s = queries.loop_sentences(fit)
    assert s["closeness_to_mood"].startswith("No clear pattern yet from closeness to the next day's mood")
    assert "includes no link at all" in s["closeness_to_mood"]
    assert s["mood_to_closeness"] == ("On days after a better mood than usual (by 1 point), closeness tended to be "
                                      "0.4 points lower (likely between 0.2 and 0.6 lower).")
    assert s["mood_inertia"].startswith("Mood does not clearly carry over")
    assert "(likely between 0.02 and 0.58)" in s["closeness_inertia"]  # small bound: one more decimal, never "0.0"


def _factor_diary(person, n_work: int, n_days: int, money_days: tuple[int, ...] = (1, 2)):
    """``n_days`` check-ins; "work" on the first ``n_work`` of them (mood 3, else 6); "money" on ``money_days``."""
    today = local_today(person)
    objs = []
    for k in range(n_days):
        stressors = ["work"] if k < n_work else []
        if k in money_days:
            stressors.append("money")
        objs.append(CheckIn(person=person, local_date=today - timedelta(days=k), mood=3 if "work" in stressors else 6,
                            closeness=5, stressors=stressors))
    CheckIn.objects.bulk_create(objs)


def test_factors_need_seven_days_with_and_seven_without(world):
    _factor_diary(world.owner, n_work=7, n_days=14)  # work: 7 with, 7 without; money: 2 with
    f = queries.factors_for(world.owner)
    assert f["min_each_side"] == 7
    assert [i["key"] for i in f["items"]] == ["work"]
    work = f["items"][0]
    assert (work["same_day"].n_with, work["same_day"].n_without) == (7, 7)
    assert_allclose(work["same_day"].difference, -3.0, atol=1e-12)
    assert work["same_sentence"] == "On days marked “work”, mood tended to be 3.0 points lower than on other days (likely between 3.0 and 3.0 lower)."
    assert (work["value_text"], work["low_text"], work["high_text"], work["clear"]) == ("\u22123.0", "\u22123.0", "\u22123.0", True)
    assert {"key": "money", "name": "Money", "n_with": 2, "n_without": 12} in f["held_back"]
    chart = f["chart"]
    assert chart["limit_text"] == "3" and chart["zero"] == 150.0
    assert_allclose(work["row"].x_estimate, 10.0, atol=1e-9)  # -3 on a -3..+3 scale drawn from 10 to 290
    assert chart["summary"] == "1 thing compared. 1 of them went with a clearly lower mood."


@pytest.mark.parametrize(("n_work", "n_days", "shown"), [(6, 14, False), (7, 13, False), (7, 14, True), (8, 14, False)])
def test_factor_threshold_on_both_sides(world, n_work, n_days, shown):
    _factor_diary(world.owner, n_work=n_work, n_days=n_days, money_days=())
    f = queries.factors_for(world.owner)
    assert ("work" in [i["key"] for i in f["items"]]) is shown
    held = {h["key"]: (h["n_with"], h["n_without"]) for h in f["held_back"]}
    if not shown:
        assert held["work"] == (n_work, n_days - n_work)


def test_factors_section_on_the_page(world, client_as):
    _factor_diary(world.owner, n_work=7, n_days=14)
    html = client_as("owner").get(reverse("diary:loop")).content.decode()
    section = html[html.index('aria-labelledby="factors-h"'):]
    section = section[:section.index("</section>")]
    assert section.count('<details class="forest-row"') == 1
    assert 'data-factor="work"' in section
    assert "likely \u22123.0 to \u22123.0" in section
    assert "some can look linked just by chance" in section
    assert "Money: 2 days with, 12 without" in section
    assert "fewer than 7 days with it or fewer than 7 without" in section
    assert 'class="forest-zero" x1="150"' in section


def test_factors_page_in_spanish(world, client_as):
    _factor_diary(world.owner, n_work=7, n_days=14)
    client = client_as("owner")
    html = client.get(reverse("diary:loop"), headers={"accept-language": "es"}).content.decode()
    section = html[html.index('aria-labelledby="factors-h"'):]
    section = section[:section.index("</section>")]
    assert "por casualidad" in section
    assert "Dinero: 2 días con, 12 sin" in section
    assert "1 cosa comparada. 1 de ellas fue con un ánimo claramente más bajo." in section
    assert "(intervalo del 90 %)" in section and "Each row" not in section


def test_loop_arrows_keep_clear_of_both_circles():
    from nearer.analysis.loop_geometry import sample_curve, triangle_points

    circles = [queries.LOOP_CLOSENESS, queries.LOOP_MOOD]
    outline = queries.LOOP_CIRCLE_STROKE / 2
    for width in (1.5, 5.0, 8.5):  # the thinnest and the thickest line the diagram draws
        arrows = queries.loop_arrows(dict.fromkeys(("closeness_to_mood", "mood_to_closeness", "closeness_inertia", "mood_inertia"), width))
        for key, a in arrows.items():
            arrow = a["arrow"]
            for c in circles:
                head = triangle_points(arrow.head)
                head_gap = np.min(np.hypot(head[:, 0] - c.cx, head[:, 1] - c.cy)) - c.r - outline
                line = sample_curve(arrow, 400)
                line_gap = np.min(np.hypot(line[:, 0] - c.cx, line[:, 1] - c.cy)) - c.r - outline - width / 2
                assert head_gap > 1.0, (key, width, head_gap)
                assert line_gap > 0.5, (key, width, line_gap)
            # The tip points at its circle: the tip is the head's nearest point to the target.
            assert a["head"].startswith("M") and a["path"].startswith("M")
            assert 4.0 <= min(np.hypot(arrow.tip[0] - c.cx, arrow.tip[1] - c.cy) - c.r for c in circles) <= 6.0


@pytest.mark.parametrize("url_name", ["diary:trends", "diary:loop"])
def test_page_queries_do_not_grow_with_checkins(world, client_as, url_name):
    refit_loops()
    client = client_as("owner")
    counts = []
    for n_days in (10, 80):
        CheckIn.objects.filter(person=world.owner).delete()
        seed_checkins(world.owner, 5, n_days=n_days)
        client.get(reverse(url_name))  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_trends_query_budget(world, client_as, django_assert_max_num_queries):
    seed_checkins(world.owner, 5)
    refit_loops()
    client = client_as("owner")
    client.get("/")  # the first request of a session does the sign-in bookkeeping
    # Session, user, user-session bookkeeping and the crisis control take ~9; the diary adds 1-2.
    with django_assert_max_num_queries(12):
        client.get(reverse("diary:trends"))
    with django_assert_max_num_queries(13):
        client.get(reverse("diary:loop"))


@pytest.mark.parametrize(("url_name", "scope"), [("diary:client-trends", "checkins"), ("diary:client-loop", "loop")])
def test_therapist_read_is_logged_once_and_partner_denied(world, client_as, url_name, scope):
    seed_checkins(world.owner, 7)
    url = reverse(url_name, kwargs={"client_id": world.owner.pk})
    r = client_as("therapist").get(url)
    assert r.status_code == 200 and "Sam" in r.content.decode()
    logs = list(AccessLog.objects.values_list("viewer_id", "owner_id", "scope", "via"))
    assert logs == [(world.therapist.pk, world.owner.pk, scope, "web")]
    for persona in ("partner", "unlinked", "other_therapist", "clinic_admin", "therapist_no_mfa"):
        expected = 403 if persona == "therapist_no_mfa" else 404  # only the second-factor prompt is a 403
        assert client_as(persona).get(url).status_code == expected
    assert AccessLog.objects.count() == 1


def test_revoked_scope_denies_on_the_next_request(world, client_as):
    link = world.objects["link_owner_therapist"]
    link.scopes = [s for s in link.scopes if s != "loop"]
    link.save()
    r = client_as("therapist").get(reverse("diary:client-loop", kwargs={"client_id": world.owner.pk}))
    assert r.status_code == 404


def test_partner_with_granted_scope_sees_trends(world, client_as):
    link = world.objects["link_owner_partner"]
    link.scopes = [*link.scopes, "checkins"]
    link.save()
    r = client_as("partner").get(reverse("diary:client-trends", kwargs={"client_id": world.owner.pk}))
    assert r.status_code == 200
    assert AccessLog.objects.get().scope == "checkins"


def test_population_prior_is_fitted_across_people_and_used(world):
    from nearer.accounts.models import User

    people = [User.objects.create_user(f"p{i}@example.test", "pw") for i in range(24)]
    for i, p in enumerate(people):
        seed_checkins(p, 100 + i, n_days=42, notes=False)
    row = refit_loops()
    assert row.data is not None and row.n_people == 24
    assert LoopPopulation.objects.count() == 1
    pop = queries.population_prior()
    assert pop is not None and pop.n_people == 24
    seed_checkins(world.owner, 1, n_days=30)
    loop = queries.loop_for(world.owner)
    assert loop["prior"] == "supplied"
    rows = list(CheckIn.objects.filter(person=world.owner).values_list("local_date", "mood", "closeness"))
    want = fit_person_loop([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], pop)
    assert_allclose(loop["effects"]["closeness_to_mood"]["value"], want.closeness_to_mood.value, atol=1e-12)


def test_pages_never_refit_the_population_however_old(world, client_as):
    import time_machine
    from django.utils import timezone

    seed_checkins(world.owner, 3, n_days=30)
    assert queries.population_prior() is None  # nothing stored yet: the engine's built-in prior
    assert LoopPopulation.objects.count() == 0
    refit_loops()
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        queries.population_prior()
        assert client_as("owner").get(reverse("diary:loop")).status_code == 200
    assert LoopPopulation.objects.count() == 1  # only the nightly job or `nearer loop refit` adds one


def test_bulk_read_matches_the_rows_and_the_operator_command_refits(world):
    from io import StringIO

    from django.core.management import call_command

    from nearer.accounts.models import User
    from nearer.diary.tasks import checkin_arrays

    people = [User.objects.create_user(f"b{i}@example.test", "pw") for i in range(3)]
    for i, p in enumerate(people):
        seed_checkins(p, 7 + i, n_days=12 + i, notes=False)
    got = checkin_arrays()
    want = sorted(CheckIn.objects.values_list("person_id", "local_date", "mood", "closeness"))
    assert got.n == len(want) > 30
    assert got.person.tolist() == [r[0] for r in want]
    assert got.day.tolist() == [r[1].toordinal() for r in want]
    assert got.mood.tolist() == [float(r[2]) for r in want]
    assert got.closeness.tolist() == [float(r[3]) for r in want]

    out = StringIO()
    call_command("loop", "refit", stdout=out)
    assert LoopPopulation.objects.count() == 1
    assert "3 people" in out.getvalue()


def test_home_panel(world, client_as):
    html = client_as("owner").get("/").content.decode()
    assert reverse("diary:checkin") in html and "About 30 seconds." in html
    _fill(world.owner, {0: 5, 1: 6, 3: 4})
    html = client_as("owner").get("/").content.decode()
    assert "You've checked in today." in html and "3 check-ins in the last 14 days." in html
    spark = queries.sparkline(world.owner)
    assert len(spark["paths"]) == 1 and len(spark["dots"]) == 1  # days 0-1 joined, day 3 alone
    assert "Daily check-in" not in client_as("therapist").get("/").content.decode()


def test_api_loop_and_trends(world, client):
    seed_checkins(world.owner, 20261121)
    r = client.get("/api/diary/loop", HTTP_AUTHORIZATION=f"Bearer {world.tokens['owner']}")
    body = r.json()
    assert r.status_code == 200 and body["enough"] and body["n_pairs"] >= 14
    assert body["closeness_to_mood"]["low"] < body["closeness_to_mood"]["value"] < body["closeness_to_mood"]["high"]
    t = client.get(f"/api/diary/clients/{world.owner.pk}/trends", HTTP_AUTHORIZATION=f"Bearer {world.tokens['therapist']}")
    assert t.status_code == 200 and t.json()["mood"]["summary"].startswith("Over the last 4 weeks, their mood")
    assert AccessLog.objects.get().via == "api"
    p = client.get(f"/api/diary/clients/{world.owner.pk}/loop", HTTP_AUTHORIZATION=f"Bearer {world.tokens['partner']}")
    assert p.status_code == 404
    days = t.json()["mood"]["days"]
    assert days[-1]["date"] == local_today(world.owner).isoformat()
    assert np.isfinite([d["median"] for d in days[-7:] if d["median"] is not None]).all()


def test_demo_gives_sam_a_visible_loop(world):
    from types import SimpleNamespace

    from django.utils import timezone

    from nearer.diary import demo

    demo.populate(SimpleNamespace(sam=world.owner, alex=world.partner, now=timezone.now(), seed=20261121))
    for person in (world.owner, world.partner):
        n = CheckIn.objects.filter(person=person).count()
        assert 45 <= n <= 53  # about 8 weeks with some missed days
    loop = queries.loop_for(world.owner)
    assert loop["enough"] and loop["effects"]["closeness_to_mood"]["clear"] and loop["effects"]["mood_to_closeness"]["clear"]
    assert CheckIn.objects.filter(person=world.owner).exclude(note="").exists()
    first = CheckIn.objects.filter(person=world.owner).order_by("local_date").first()
    assert first.local_date == local_today(world.owner) - timedelta(days=55) or first.local_date > date(2000, 1, 1)
