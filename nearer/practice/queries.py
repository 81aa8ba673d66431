"""Reads that assemble practice pages and summaries; they return plain data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nearer.accounts.models import User
from nearer.practice import rules
from nearer.practice.charts import belief_chart
from nearer.practice.models import (
    Experiment,
    FormulationVersion,
    LadderStep,
    MomentRecord,
    SuggestionState,
    TherapistSuggestion,
)


def active_steps(owner: User) -> list[LadderStep]:
    return list(LadderStep.objects.filter(owner=owner, archived_at__isnull=True).prefetch_related("experiments"))


def ladder(owner: User, lang: str | None = None, *, steps: list[LadderStep] | None = None,
           experiments: list[Experiment] | None = None) -> dict[str, Any]:
    """The ladder with each step's state and the suggested next step.

    ``steps`` (the active ones, in order) and ``experiments`` (at least those of these steps) may be
    given when already read: the home page reads them in two queries for its whole card.
    """
    by_step: dict[int, list[Experiment]] | None = None
    if steps is None:
        steps = active_steps(owner)
    elif experiments is not None:
        by_step = {}
        for e in experiments:
            by_step.setdefault(e.step_id or 0, []).append(e)
    states = []
    rows: list[dict[str, Any]] = []
    for order, step in enumerate(steps):
        exps = list(step.experiments.all()) if by_step is None else by_step.get(step.pk, [])
        comfortable = any(e.comfortable for e in exps)
        states.append(rules.StepState(step.pk, step.difficulty, comfortable, order))
        rows.append({
            "step": step,
            "label": step.label(lang),
            "difficulty": step.difficulty,
            "tried": sum(1 for e in exps if e.is_done),
            "planned": sum(1 for e in exps if not e.is_done),
            "comfortable": comfortable,
            "source": step.source,
        })
    nxt = rules.next_step(states)
    for row in rows:
        row["is_next"] = row["step"].pk == nxt.key
    next_row = next((r for r in rows if r["is_next"]), None)
    return {"rows": rows, "next": nxt, "next_row": next_row, "margin": rules.MARGIN,
            "start_ceiling": rules.START_CEILING}


def finished_experiments(owner: User) -> list[Experiment]:
    return list(Experiment.objects.filter(owner=owner, done_at__isnull=False).order_by("done_at", "pk"))


def _outcomes(exps: list[Experiment]) -> list[rules.ExperimentOutcome]:
    return [rules.ExperimentOutcome(e.step_id, e.outcome, e.belief_before, e.belief_after) for e in exps]


def experiment_sentence(summary: rules.ExperimentSummary) -> str:
    """The plain summary, e.g. "7 of 9 steps you tried did not end the way you feared"."""
    if summary.finished == 0:
        return _("When you have finished an experiment, you will see here how it compared with what you feared.")
    sentence = ngettext(
        "%(n)s of %(total)s step you tried did not end the way you feared.",
        "%(n)s of %(total)s steps you tried did not end the way you feared.",
        summary.finished,
    ) % {"n": summary.not_feared, "total": summary.finished}
    if summary.partly:
        sentence += " " + ngettext(
            "%(n)s went partly that way.", "%(n)s went partly that way.", summary.partly
        ) % {"n": summary.partly}
    return sentence


def chart_sentence(summary: rules.ExperimentSummary) -> str:
    if summary.mean_belief_after is None or summary.mean_belief_before is None:
        return _("No ratings yet.")
    return _(
        "Across %(n)s experiments, how strongly you believed the feared outcome averaged %(before)s%% before "
        "and %(after)s%% afterwards."
    ) % {"n": summary.finished, "before": round(summary.mean_belief_before), "after": round(summary.mean_belief_after)}


def experiments_overview(owner: User) -> dict[str, Any]:
    done = finished_experiments(owner)
    summary = rules.summarise_experiments(_outcomes(done))
    pairs = [(e.belief_before, e.belief_after) for e in done if e.belief_after is not None]
    sentence = chart_sentence(summary)
    return {
        "summary": summary,
        "sentence": experiment_sentence(summary),
        "chart_sentence": sentence,
        "chart": belief_chart(pairs, title=_("Belief in the feared outcome, before and after each experiment"),
                              description=sentence, before_label=_("Before"), after_label=_("After"))
        if pairs else None,
        "planned": list(Experiment.objects.filter(owner=owner, done_at__isnull=True).select_related("step")
                        .order_by("planned_for", "created_at")),
        "finished": list(reversed(done)),
    }


def patterns(owner: User, lang: str | None = None) -> dict[str, Any]:
    records = list(MomentRecord.objects.filter(owner=owner))
    result = rules.patterns([rules.MomentRecord(r.kind, r.intensity_before, r.intensity_after) for r in records])
    kinds = []
    for k in result.kinds:
        label = next((r.kind_label(lang) for r in records if r.kind == k.kind), k.kind)
        kinds.append({"kind": k.kind, "label": label, "count": k.count, "rated": k.rated,
                      "mean_drop": None if k.mean_drop is None else round(k.mean_drop, 1)})
    if result.mean_drop is None:
        sentence = _("When you have re-rated your feelings at the end of a record, the average change will show here.")
    elif result.mean_drop > 0:
        sentence = _("Across %(n)s finished records, the feelings were on average %(d)s points less intense by the end.") % {
            "n": result.rated, "d": round(result.mean_drop, 1)}
    else:
        sentence = _("Across %(n)s finished records, the feelings were on average about as intense at the end.") % {
            "n": result.rated}
    return {"patterns": result, "kinds": kinds, "sentence": sentence,
            "mean_drop": None if result.mean_drop is None else round(result.mean_drop, 1)}


def formulation(owner: User) -> dict[str, Any]:
    versions = list(FormulationVersion.objects.filter(owner=owner).order_by("-number"))
    return {"current": versions[0] if versions else None, "versions": versions}


def formulation_view(version: FormulationVersion, lang: str | None = None) -> dict[str, Any]:
    """The worksheet answers resolved to labels, in the worksheet's order."""
    from nearer.practice import suggestion_bank as bank

    def labels(group: str, ids: list[str]) -> list[str]:
        out = []
        for oid in ids:
            try:
                out.append(bank.label(group, oid, lang))
            except KeyError:
                continue
        return out

    rows = []
    for step in bank.worksheet("formulation").steps:
        if step.kind == "choices":
            own_field = "past_closeness_own" if step.id == "past_closeness" else "moves_own"
            rows.append({"id": step.id, "question": step.text(lang), "choices": labels(step.options or "", getattr(version, step.id)),
                         "text": getattr(version, own_field)})
        else:
            rows.append({"id": step.id, "question": step.text(lang), "choices": [], "text": getattr(version, step.id)})
    return {"version": version, "rows": rows}


def practice_summary(person: User) -> dict[str, Any]:
    """Counts and ratings only (the ``practice_summaries`` scope): never the person's words.

    Used by the clinic's client page and the therapist summary page.
    """
    lad = ladder(person)
    exps = experiments_overview(person)
    pat = patterns(person)
    s: rules.ExperimentSummary = exps["summary"]
    form = FormulationVersion.objects.filter(owner=person).order_by("-number").first()
    nxt: rules.NextStep = lad["next"]
    return {
        "ladder": {
            "steps": len(lad["rows"]),
            "done_comfortably": sum(1 for r in lad["rows"] if r["comfortable"]),
            "difficulties": [r["difficulty"] for r in lad["rows"]],
            "hardest_done": nxt.hardest_done,
            "next_difficulty": lad["next_row"]["difficulty"] if lad["next_row"] else None,
            "next_reason": nxt.reason,
        },
        "experiments": {
            "planned": len(exps["planned"]),
            "finished": s.finished,
            "not_feared": s.not_feared,
            "partly": s.partly,
            "feared": s.feared,
            "mean_belief_before": s.mean_belief_before,
            "mean_belief_after": s.mean_belief_after,
            "mean_belief_change": s.mean_belief_change,
            "beliefs": [[e.belief_before, e.belief_after] for e in reversed(exps["finished"])],
            "sentence": exps["sentence"],
        },
        "present_or_past": {
            "records": pat["patterns"].total,
            "rerated": pat["patterns"].rated,
            "mean_drop": pat["mean_drop"],
            "kinds": [{"kind": k["kind"], "count": k["count"], "mean_drop": k["mean_drop"]} for k in pat["kinds"]],
        },
        "formulation": {
            "versions": FormulationVersion.objects.filter(owner=person).count(),
            "last_revised": form.created_at.isoformat() if form else None,
        },
    }


def practice_entries(person: User, lang: str | None = None) -> dict[str, Any]:
    """What the person wrote (the ``practice_entries`` scope)."""
    form = FormulationVersion.objects.filter(owner=person).order_by("-number").first()
    return {
        "formulation": formulation_view(form, lang) if form else None,
        "steps": [{"label": r["label"], "difficulty": r["difficulty"], "comfortable": r["comfortable"]}
                  for r in ladder(person, lang)["rows"]],
        "experiments": list(Experiment.objects.filter(owner=person).select_related("step")),
        "records": list(MomentRecord.objects.filter(owner=person)),
    }


def suggestions_for(client: User, therapist: User | None = None) -> list[TherapistSuggestion]:
    qs = TherapistSuggestion.objects.filter(client=client)
    if therapist is not None:
        qs = qs.filter(therapist=therapist)
    return list(qs.select_related("step"))


def pending_suggestions(client: User) -> list[TherapistSuggestion]:
    return list(TherapistSuggestion.objects.filter(client=client, state=SuggestionState.PENDING).select_related("therapist"))
