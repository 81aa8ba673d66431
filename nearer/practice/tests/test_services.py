"""Services, queries and pages of the practice tools (database)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from numpy.testing import assert_allclose

from nearer.practice import queries, services
from nearer.practice.models import (
    Experiment,
    FormulationVersion,
    LadderStep,
    MomentRecord,
    TherapistSuggestion,
)
from nearer.privacy import access
from nearer.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

RISKY = "I want to end my life"


def _exp(owner, step, outcome=None, before=70, after=None, expected=60, actual=None):
    exp, _ = services.plan_experiment(owner, step=step, fear="They will pull away", belief_before=before,
                                      expected_anxiety=expected)
    if outcome:
        services.record_outcome(owner, exp, what_happened="We talked", outcome=outcome,
                                belief_after=after if after is not None else before - 30, actual_anxiety=actual)
    return exp


# ------------------------------------------------------------------ worksheet


def test_formulation_versions_are_kept_and_encrypted(world):
    v1, risk = services.save_formulation(world.owner, {"past_closeness": ["lost"], "expectation": "People leave"})
    assert v1.number == 1 and not risk.show_card
    same, _ = services.save_formulation(world.owner, {"past_closeness": ["lost"], "expectation": "People leave"})
    assert same.pk == v1.pk  # nothing changed: no new version
    v2, _ = services.save_formulation(world.owner, {"past_closeness": ["lost", "criticised"], "moves": ["humour"],
                                                    "expectation": "People leave, sometimes", "cost": "Lonely evenings"})
    assert v2.number == 2
    assert [v.number for v in queries.formulation(world.owner)["versions"]] == [2, 1]
    with connection.cursor() as cur:
        cur.execute("SELECT expectation, cost FROM practice_formulationversion WHERE id = %s", [v2.pk])
        raw = cur.fetchone()
    assert "People leave" not in raw[0] and "Lonely" not in raw[1]
    assert FormulationVersion.objects.get(pk=v1.pk).expectation == "People leave"


def test_formulation_rejects_unknown_choice_and_empty(world):
    with pytest.raises(ValidationError) as exc:
        services.save_formulation(world.owner, {"moves": ["not-a-move"]})
    assert "moves" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.save_formulation(world.owner, {})


def test_formulation_history_page_lists_versions(world, client_as):
    services.save_formulation(world.owner, {"expectation": "first words"})
    services.save_formulation(world.owner, {"expectation": "second words"})
    html = client_as("owner").get(reverse("practice:formulation-history")).content.decode()
    assert "first words" in html and "second words" in html and "Version 2" in html


# ------------------------------------------------------------------ ladder and next step


def test_ladder_next_step_follows_comfortable_experiments(world):
    easy, _ = services.add_step(world.owner, suggestion_id="good-news-first")  # 15
    mid, _ = services.add_step(world.owner, text="Tell Alex I felt left out", difficulty=30)
    hard, _ = services.add_step(world.owner, suggestion_id="stay-in-hard-talk")  # 70
    assert easy.difficulty == 15 and easy.source == "suggested" and hard.difficulty == 70
    lad = queries.ladder(world.owner)
    assert lad["next"].key == easy.pk
    _exp(world.owner, easy, "yes")  # the feared outcome happened: not comfortable
    assert queries.ladder(world.owner)["next"].key == easy.pk
    _exp(world.owner, easy, "partly", expected=60, actual=40)  # partly, less anxious than expected
    assert queries.ladder(world.owner)["next"].key == mid.pk
    _exp(world.owner, mid, "no")
    lad = queries.ladder(world.owner)
    assert lad["next"].key is None and lad["next"].reason == "gap" and lad["next"].ceiling == 50
    assert lad["next"].hardest_done == 30


def test_step_validation(world):
    with pytest.raises(ValidationError) as exc:
        services.add_step(world.owner, text="", difficulty=20)
    assert "text" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.add_step(world.owner, text="Something", difficulty=101)
    assert "difficulty" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.add_step(world.owner, suggestion_id="nope")


def test_archived_steps_leave_the_ladder(world):
    step, _ = services.add_step(world.owner, suggestion_id="one-worry")
    services.archive_step(world.owner, step)
    assert queries.ladder(world.owner)["rows"] == []
    with pytest.raises(access.AccessDenied):
        services.archive_step(world.partner, step)


# ------------------------------------------------------------------ experiments and their summary


def test_experiment_summary_and_sentence(world):
    step, _ = services.add_step(world.owner, suggestion_id="one-worry")
    for outcome, before, after in [("no", 80, 40), ("no", 70, 30), ("no", 60, 20), ("partly", 75, 55), ("yes", 65, 70)]:
        _exp(world.owner, step, outcome, before, after)
    _exp(world.owner, step)  # planned, not finished
    ov = queries.experiments_overview(world.owner)
    s = ov["summary"]
    assert (s.finished, s.not_feared, s.partly, s.feared) == (5, 3, 1, 1)
    assert_allclose(s.mean_belief_before, 70.0, atol=1e-12)
    assert_allclose(s.mean_belief_after, 43.0, atol=1e-12)
    assert_allclose(s.mean_belief_change, -27.0, atol=1e-12)
    assert ov["sentence"] == "3 of 5 steps you tried did not end the way you feared. 1 went partly that way."
    assert len(ov["planned"]) == 1
    svg = str(ov["chart"])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert svg.count("<circle") == 5 + 1  # five "after" dots and one in the legend
    assert "70% before and 43% afterwards" in ov["chart_sentence"]


def test_outcome_validation(world):
    exp = _exp(world.owner, None)
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(world.owner, exp, what_happened="x", outcome="maybe", belief_after=10)
    assert "outcome" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(world.owner, exp, what_happened="", outcome="no", belief_after=10)
    assert "what_happened" in exc.value.message_dict
    with pytest.raises(access.AccessDenied):
        services.record_outcome(world.partner, exp, what_happened="x", outcome="no", belief_after=10)


def test_experiment_pages(world, client_as):
    c = client_as("owner")
    step, _ = services.add_step(world.owner, suggestion_id="one-worry")
    r = c.post(reverse("practice:experiment-create") + f"?step={step.pk}",
               {"step": step.pk, "fear": "Alex will sigh", "belief_before": "150", "expected_anxiety": "40"})
    assert r.status_code == 400 and "belief_before_error" in r.content.decode()
    r = c.post(reverse("practice:experiment-create"),
               {"step": step.pk, "fear": "Alex will sigh", "belief_before": "80", "expected_anxiety": "40"})
    exp = Experiment.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("practice:experiment-detail", args=[exp.pk])
    home = c.get("/").content.decode()
    assert "Planned experiment" in home and reverse("practice:experiment-detail", args=[exp.pk]) in home
    r = c.post(reverse("practice:experiment-outcome", args=[exp.pk]),
               {"what_happened": "Alex hugged me", "outcome": "no", "belief_after": "25", "learned": "It was ok"})
    assert r.status_code == 302
    exp.refresh_from_db()
    assert exp.comfortable and exp.belief_after == 25
    assert "did not end the way you feared" in c.get(reverse("practice:ladder")).content.decode()


# ------------------------------------------------------------------ present or past


def _full_record(owner, kind="late_reply", before=80, after=40):
    rec, _ = services.start_record(owner, kind=kind, what_happened="No reply for hours")
    answers = [
        ("first_reading", {"first_reading_id": "dont_care"}),
        ("feelings", {"feelings": [{"id": "hurt", "strength": before}, {"id": "anxious", "strength": before - 10}]}),
        ("pause", {}),
        ("echo", {"echo": "Waiting for my dad to call"}),
        ("evidence_for", {"evidence_for": "It has been three hours"}),
        ("evidence_against", {"evidence_against": "Alex said they had a long meeting"}),
        ("other_reading", {"other_reading": "Alex is busy"}),
        ("feelings_now", {"intensity_after": after}),
        ("next_step", {"next_step": ""}),
    ]
    for step_id, data in answers:
        rec, _ = services.answer_record_step(owner, rec, step_id, data)
    return rec


def test_record_walks_every_step_in_order(world):
    rec, _ = services.start_record(world.owner, kind="late_reply", what_happened="No reply")
    assert rec.current_step == "first_reading"
    with pytest.raises(ValidationError) as exc:
        services.answer_record_step(world.owner, rec, "echo", {"echo": "x"})
    assert "step" in exc.value.message_dict
    rec = _full_record(world.owner)
    assert rec.current_step == "done" and rec.completed_at is not None
    assert (rec.intensity_before, rec.intensity_after, rec.drop) == (80, 40, 40)
    from nearer.practice import suggestion_bank as bank

    assert rec.first_reading("es") == bank.label("first_readings", "dont_care", "es") != rec.first_reading("en")


def test_record_feelings_need_a_number(world):
    rec, _ = services.start_record(world.owner, kind="quiet_evening", what_happened="Quiet")
    rec, _ = services.answer_record_step(world.owner, rec, "first_reading", {"first_reading_own": "They're bored of me"})
    with pytest.raises(ValidationError) as exc:
        services.answer_record_step(world.owner, rec, "feelings", {})
    assert "feelings" in exc.value.message_dict
    rec, _ = services.answer_record_step(world.owner, rec, "feelings", {"feeling_lonely": "65", "feelings_own": "small",
                                                                        "feelings_own_strength": "90"})
    assert rec.intensity_before == 90 and rec.first_reading() == "They're bored of me"


def test_patterns_arithmetic_from_records(world):
    _full_record(world.owner, "late_reply", 80, 40)
    _full_record(world.owner, "late_reply", 70, 60)
    _full_record(world.owner, "quiet_evening", 50, 55)
    services.start_record(world.owner, kind="criticism", what_happened="A remark")  # not finished
    pat = queries.patterns(world.owner)
    assert pat["patterns"].total == 4 and pat["patterns"].rated == 3
    assert_allclose(pat["patterns"].mean_drop, (40 + 10 - 5) / 3, atol=1e-12)
    late = pat["kinds"][0]
    assert (late["kind"], late["count"], late["mean_drop"]) == ("late_reply", 2, 25.0)
    assert "15.0 points less intense" in pat["sentence"]


def test_record_pages_keep_the_first_reading_in_view(world, client_as):
    c = client_as("owner")
    r = c.post(reverse("practice:record-create"), {"kind": "late_reply", "what_happened": "No text back"})
    rec = MomentRecord.objects.get()
    assert r.status_code == 302
    r = c.post(reverse("practice:record-detail", args=[rec.pk]), {"step": "first_reading", "first_reading_own": "I'm too much"})
    assert r.status_code == 302
    for step_id, data in [("feelings", {"feeling_hurt": "70"}), ("pause", {}), ("echo", {"echo": "school"})]:
        html = c.get(reverse("practice:record-detail", args=[rec.pk])).content.decode()
        assert 'class="first-reading"' in html and "I&#x27;m too much" in html
        assert c.post(reverse("practice:record-detail", args=[rec.pk]), {"step": step_id, **data}).status_code == 302
    r = c.post(reverse("practice:record-detail", args=[rec.pk]), {"step": "nonsense"})
    assert r.status_code == 400


# ------------------------------------------------------------------ screening hook


@pytest.mark.parametrize("tool", ["formulation", "ladder", "experiment", "record"])
def test_risky_text_is_saved_screened_and_shows_help(world, tool):
    from nearer.safety.models import RiskEvent

    if tool == "formulation":
        obj, risk = services.save_formulation(world.owner, {"cost": RISKY})
        source = "practice.formulation"
    elif tool == "ladder":
        obj, risk = services.add_step(world.owner, text=RISKY, difficulty=20)
        source = "practice.ladder"
    elif tool == "experiment":
        obj, risk = services.plan_experiment(world.owner, step=None, fear=RISKY, belief_before=50, expected_anxiety=50)
        source = "practice.experiment"
    else:
        obj, risk = services.start_record(world.owner, kind="other", what_happened=RISKY)
        source = "practice.present_or_past"
    assert risk.show_card
    assert obj.pk is not None  # the entry is kept
    event = RiskEvent.objects.get(person=world.owner)
    assert event.source == source


def test_screening_runs_after_saving_with_the_object(world, monkeypatch):
    calls = []

    def fake(person, source, text, *, ref=None):
        calls.append((person.pk, source, text, type(ref).__name__, ref.pk is not None))
        from nearer.safety.services import NO_RISK

        return NO_RISK

    monkeypatch.setattr(services, "check_text_and_respond", fake)
    services.plan_experiment(world.owner, step=None, fear="A fear", when_text="Friday", belief_before=50, expected_anxiety=50)
    services.add_step(world.owner, suggestion_id="one-worry")  # no words of their own: nothing to screen
    assert calls == [(world.owner.pk, "practice.experiment", "Friday\nA fear", "Experiment", True)]


def test_crisis_card_in_the_same_response(world, client_as):
    c = client_as("owner")
    r = c.post(reverse("practice:record-create"), {"kind": "other", "what_happened": RISKY})
    assert r.status_code == 200 and 'id="crisis-card"' in r.content.decode()
    rec = MomentRecord.objects.get()
    r = c.post(reverse("practice:record-detail", args=[rec.pk]), {"step": "first_reading", "first_reading_own": RISKY})
    assert r.status_code == 200 and 'id="crisis-card"' in r.content.decode()
    r = c.post(reverse("practice:formulation"), {"cost": RISKY})
    assert r.status_code == 200 and 'id="crisis-card"' in r.content.decode()


# ------------------------------------------------------------------ with a therapist


def test_suggestion_accept_edit_decline_and_therapist_sees_state(world, client_as):
    s1 = services.suggest(world.therapist, world.owner, kind="ladder_step", suggestion_id="ask-for-a-hug")
    s2 = services.suggest(world.therapist, world.owner, kind="ladder_step", text="Say goodnight first", difficulty=20)
    s3 = services.suggest(world.therapist, world.owner, kind="present_or_past", note="For quiet evenings")
    services.respond_to_suggestion(world.owner, s1, "accept")
    services.respond_to_suggestion(world.owner, s2, "edit", text="Say goodnight first, with a hug", difficulty=35)
    services.respond_to_suggestion(world.owner, s3, "decline")
    steps = {s.label(): s for s in LadderStep.objects.filter(owner=world.owner)}
    assert steps["Ask for a hug when I want one"].source == "therapist"
    assert steps["Say goodnight first, with a hug"].difficulty == 35
    states = {s.pk: s.state for s in TherapistSuggestion.objects.all()}
    assert states == {s1.pk: "accepted", s2.pk: "edited", s3.pk: "declined"}
    with pytest.raises(ValidationError):
        services.respond_to_suggestion(world.owner, TherapistSuggestion.objects.get(pk=s1.pk), "decline")
    html = client_as("therapist").get(reverse("practice:suggest", args=[world.owner.pk])).content.decode()
    assert "Accepted with changes" in html and "Declined" in html
    assert "with a hug" not in html  # the client's own wording stays theirs


def test_suggest_requires_a_therapist_link_with_scope(world):
    link = world.objects["link_owner_therapist"]
    link.scopes = [s for s in link.scopes if s != "practice_summaries"]
    link.save()
    assert not services.can_suggest(world.therapist, world.owner)
    with pytest.raises(access.AccessDenied):
        services.suggest(world.therapist, world.owner, kind="present_or_past")
    assert not services.can_suggest(world.partner, world.owner)
    assert not services.can_suggest(world.therapist_no_mfa, world.owner)


def test_practice_summary_is_numbers_only(world):
    step, _ = services.add_step(world.owner, text="Secret step words", difficulty=20)
    _exp(world.owner, step, "no", 80, 30)
    _full_record(world.owner)
    services.save_formulation(world.owner, {"expectation": "Secret worksheet words"})
    summary = queries.practice_summary(world.owner)
    assert summary["ladder"]["steps"] == 1 and summary["ladder"]["done_comfortably"] == 1
    assert summary["experiments"]["finished"] == 1 and summary["experiments"]["beliefs"] == [[80, 30]]
    assert summary["present_or_past"]["mean_drop"] == 40.0
    assert summary["formulation"]["versions"] == 1
    assert "Secret" not in repr(summary)


def test_client_summary_logs_one_read_and_entries_only_when_shared(world, client_as):
    services.save_formulation(world.owner, {"expectation": "Words for my therapist"})
    t = client_as("therapist")
    before = AccessLog.objects.count()
    html = t.get(reverse("practice:client-summary", args=[world.owner.pk])).content.decode()
    assert AccessLog.objects.count() == before + 1
    assert "Words for my therapist" not in html
    link = world.objects["link_owner_therapist"]
    link.scopes = link.scopes + ["practice_entries"]
    link.save()
    html = t.get(reverse("practice:client-summary", args=[world.owner.pk])).content.decode()
    assert AccessLog.objects.count() == before + 3
    assert "Words for my therapist" in html
    assert set(AccessLog.objects.order_by("-pk").values_list("scope", flat=True)[:2]) == {"practice_summaries", "practice_entries"}


def test_export_and_erase_cover_practice(world):
    from nearer.privacy import registry

    for label in ["practice.formulationversion", "practice.ladderstep", "practice.experiment", "practice.momentrecord",
                  "practice.therapistsuggestion"]:
        assert label in registry.OWNED


def test_demo_populates_sam(world):
    from django.utils import timezone

    from nearer.demo import DemoWorld
    from nearer.practice import demo

    demo.populate(DemoWorld(sam=world.owner, alex=world.partner, rivera=world.therapist, clinic_admin=world.clinic_admin,
                            clinic=world.clinic, now=timezone.now()))
    s = queries.practice_summary(world.owner)
    assert s["ladder"]["steps"] == 5 and s["formulation"]["versions"] == 2
    assert (s["experiments"]["finished"], s["experiments"]["not_feared"], s["experiments"]["partly"]) == (6, 5, 1)
    assert s["present_or_past"]["records"] == 4


def test_pages_in_spanish(world, client_as):
    c = client_as("owner")
    c.cookies["django_language"] = "es"
    step, _ = services.add_step(world.owner, suggestion_id="one-worry")
    html = c.get(reverse("practice:ladder")).content.decode()
    assert "Mi escalera de cercanía" in html and "Contarle a mi pareja una preocupación de mi día" in html
    _exp(world.owner, step, "no", 80, 20)
    _exp(world.owner, step, "partly", 80, 50)
    html = c.get(reverse("practice:ladder")).content.decode()
    assert "1 de 2 pasos que intentaste no terminaron como temías. 1 salió en parte así." in html


def test_each_tool_links_to_its_learn_piece(world, client_as):
    links = [reverse("learn:piece-detail", args=[s]) for s in ("unsafe-closeness", "small-steps", "present-or-past")]
    html = client_as("owner").get(reverse("practice:index")).content.decode()
    for url in links:
        assert f'href="{url}"' in html
    assert reverse("learn:piece-detail", args=["experiments"]) in client_as("owner").get(reverse("practice:ladder")).content.decode()
