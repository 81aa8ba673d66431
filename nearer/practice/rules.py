"""Django-free rules for the closeness practice tools.

Everything here takes plain values and returns plain values, so it can be tested exhaustively
(property tests in ``tests/test_rules.py``) and reused by the web pages, the API and the clinic.

The next-step rule
------------------
A ladder is a list of steps, each with an expected difficulty from 0 to 100. A step is *done
comfortably* once at least one experiment on it ended well enough (see :func:`is_comfortable`).
Nearer suggests:

* the easiest step not yet done comfortably,
* but never one more than ``margin`` points above the hardest step done comfortably so far,
* and, before any success (or on an empty ladder), never one above ``start_ceiling``.

When every remaining step is too far above the last success, nothing is suggested and the reason
says so (``"gap"``): the kind answer is to add an in-between step, not to jump.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

MARGIN = 20
START_CEILING = 40

OUTCOMES: tuple[str, ...] = ("no", "partly", "yes")

Reason = Literal["next", "empty", "all_done", "gap"]


def is_comfortable(outcome: str | None, expected_anxiety: int | None, actual_anxiety: int | None) -> bool:
    """Whether one finished experiment counts as the step being "done comfortably".

    * The feared outcome did not happen (``"no"``): yes.
    * It happened partly (``"partly"``) and the anxiety felt was below the anxiety expected
      beforehand: yes. Without both anxiety numbers we cannot tell, so: no.
    * It happened (``"yes"``) or the experiment is not finished: no.
    """
    if outcome == "no":
        return True
    if outcome == "partly":
        return expected_anxiety is not None and actual_anxiety is not None and actual_anxiety < expected_anxiety
    return False


@dataclass(frozen=True, slots=True)
class StepState:
    """One ladder step as the rule sees it. ``order`` breaks ties between equal difficulties."""

    key: int
    difficulty: int
    done_comfortably: bool
    order: int = 0


@dataclass(frozen=True, slots=True)
class NextStep:
    key: int | None
    reason: Reason
    ceiling: int
    hardest_done: int | None


def _sort_key(s: StepState) -> tuple[int, int, int]:
    return (s.difficulty, s.order, s.key)


def next_step(steps: Iterable[StepState], margin: int = MARGIN, start_ceiling: int = START_CEILING) -> NextStep:
    """Pick the next step to practise (see the module docstring for the rule).

    Deterministic: the answer does not depend on the order of ``steps``.
    """
    if margin < 0 or start_ceiling < 0:
        raise ValueError("margin and start_ceiling must not be negative")
    all_steps = list(steps)
    done = [s.difficulty for s in all_steps if s.done_comfortably]
    hardest = max(done) if done else None
    ceiling = min(100, hardest + margin) if hardest is not None else start_ceiling
    if not all_steps:
        return NextStep(None, "empty", ceiling, hardest)
    open_steps = sorted((s for s in all_steps if not s.done_comfortably), key=_sort_key)
    if not open_steps:
        return NextStep(None, "all_done", ceiling, hardest)
    first = open_steps[0]
    if first.difficulty > ceiling:
        return NextStep(None, "gap", ceiling, hardest)
    return NextStep(first.key, "next", ceiling, hardest)


# ------------------------------------------------------------------ summaries (plain arithmetic)


@dataclass(frozen=True, slots=True)
class ExperimentOutcome:
    """A finished experiment as the summaries see it."""

    step_key: int | None
    outcome: str
    belief_before: int
    belief_after: int | None


@dataclass(frozen=True, slots=True)
class ExperimentSummary:
    finished: int
    not_feared: int  # the feared outcome did not happen
    partly: int
    feared: int
    steps_tried: int  # distinct steps with at least one finished experiment
    steps_not_feared: int  # ... of which at least one ended without the feared outcome
    mean_belief_before: float | None
    mean_belief_after: float | None
    mean_belief_change: float | None  # after minus before, over experiments with both


def summarise_experiments(items: Sequence[ExperimentOutcome]) -> ExperimentSummary:
    for item in items:
        if item.outcome not in OUTCOMES:
            raise ValueError("unknown outcome")
    not_feared = sum(1 for i in items if i.outcome == "no")
    partly = sum(1 for i in items if i.outcome == "partly")
    feared = sum(1 for i in items if i.outcome == "yes")
    steps = {i.step_key for i in items if i.step_key is not None}
    steps_ok = {i.step_key for i in items if i.step_key is not None and i.outcome == "no"}
    before = [i.belief_before for i in items]
    pairs = [(i.belief_before, i.belief_after) for i in items if i.belief_after is not None]
    return ExperimentSummary(
        finished=len(items),
        not_feared=not_feared,
        partly=partly,
        feared=feared,
        steps_tried=len(steps),
        steps_not_feared=len(steps_ok),
        mean_belief_before=_mean(before),
        mean_belief_after=_mean([a for _, a in pairs]),
        mean_belief_change=_mean([a - b for b, a in pairs]),
    )


@dataclass(frozen=True, slots=True)
class MomentRecord:
    kind: str
    intensity_before: int | None
    intensity_after: int | None


@dataclass(frozen=True, slots=True)
class KindPattern:
    kind: str
    count: int
    rated: int  # records with both intensities
    mean_drop: float | None  # before minus after; positive means the feelings eased


@dataclass(frozen=True, slots=True)
class Patterns:
    total: int
    rated: int
    mean_drop: float | None
    kinds: tuple[KindPattern, ...]  # most frequent first, then by kind name


def patterns(records: Sequence[MomentRecord]) -> Patterns:
    by_kind: dict[str, list[MomentRecord]] = {}
    for r in records:
        by_kind.setdefault(r.kind, []).append(r)

    def drops(rs: Iterable[MomentRecord]) -> list[int]:
        return [r.intensity_before - r.intensity_after for r in rs
                if r.intensity_before is not None and r.intensity_after is not None]

    kinds = tuple(
        KindPattern(kind, len(rs), len(drops(rs)), _mean(drops(rs)))
        for kind, rs in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    all_drops = drops(records)
    return Patterns(total=len(records), rated=len(all_drops), mean_drop=_mean(all_drops), kinds=kinds)


def _mean(values: Sequence[int] | list[int]) -> float | None:
    return sum(values) / len(values) if values else None
