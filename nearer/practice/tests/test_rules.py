"""The next-step rule and the summaries' arithmetic (no database)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from nearer.practice import rules
from nearer.practice.rules import ExperimentOutcome, MomentRecord, StepState, next_step

step_lists = st.lists(
    st.builds(StepState, key=st.integers(0, 10_000), difficulty=st.integers(0, 100),
              done_comfortably=st.booleans(), order=st.integers(0, 50)),
    max_size=25,
    unique_by=lambda s: s.key,
)


@settings(max_examples=300, deadline=None)
@given(step_lists, st.integers(0, 60), st.integers(0, 100))
def test_never_more_than_margin_above_hardest_done(steps, margin, start):
    got = next_step(steps, margin=margin, start_ceiling=start)
    if got.key is None:
        return
    chosen = next(s for s in steps if s.key == got.key)
    done = [s.difficulty for s in steps if s.done_comfortably]
    assert not chosen.done_comfortably
    if done:
        assert chosen.difficulty <= max(done) + margin
    else:
        assert chosen.difficulty <= start


@settings(max_examples=300, deadline=None)
@given(step_lists, st.integers(0, 60), st.integers(0, 100))
def test_chooses_the_easiest_open_step_when_one_is_in_reach(steps, margin, start):
    got = next_step(steps, margin=margin, start_ceiling=start)
    open_steps = [s for s in steps if not s.done_comfortably]
    if got.key is None:
        assert got.reason in ("empty", "all_done", "gap")
        if got.reason == "gap":
            assert open_steps and min(s.difficulty for s in open_steps) > got.ceiling
        if got.reason == "all_done":
            assert steps and not open_steps
        return
    chosen = next(s for s in steps if s.key == got.key)
    assert chosen.difficulty == min(s.difficulty for s in open_steps)


@settings(max_examples=200, deadline=None)
@given(step_lists, st.randoms(use_true_random=False))
def test_deterministic_whatever_the_order(steps, rnd):
    shuffled = list(steps)
    rnd.shuffle(shuffled)
    assert next_step(steps) == next_step(shuffled) == next_step(list(steps))


def test_empty_ladder():
    got = next_step([])
    assert got.key is None and got.reason == "empty" and got.ceiling == rules.START_CEILING


def test_no_successes_start_with_easiest_under_the_starting_ceiling():
    steps = [StepState(1, 55, False), StepState(2, 30, False), StepState(3, 35, False)]
    assert next_step(steps).key == 2
    # Everything above the starting ceiling: nothing is pushed, add an easier step.
    got = next_step([StepState(1, 55, False), StepState(2, 70, False)])
    assert got.key is None and got.reason == "gap"


def test_worked_example():
    steps = [
        StepState(1, 15, True), StepState(2, 30, True), StepState(3, 45, False),
        StepState(4, 60, False), StepState(5, 80, False),
    ]
    got = next_step(steps)
    assert (got.key, got.reason, got.ceiling, got.hardest_done) == (3, "next", 50, 30)
    # A harder success does not let the rule skip an easier open step.
    steps[3] = StepState(4, 60, True)
    assert next_step(steps).key == 3
    # A jump too far is refused.
    got = next_step([StepState(1, 20, True), StepState(2, 41, False)])
    assert got.key is None and got.reason == "gap" and got.ceiling == 40


def test_ties_break_by_order_then_key():
    steps = [StepState(9, 30, False, order=2), StepState(4, 30, False, order=1), StepState(3, 30, False, order=1)]
    assert next_step(steps).key == 3


def test_all_done():
    assert next_step([StepState(1, 10, True)]).reason == "all_done"


def test_negative_margin_is_refused():
    with pytest.raises(ValueError):
        next_step([], margin=-1)


@pytest.mark.parametrize(
    ("outcome", "expected", "actual", "ok"),
    [
        ("no", 60, 80, True),
        ("no", None, None, True),
        ("partly", 60, 40, True),
        ("partly", 60, 60, False),
        ("partly", 60, None, False),
        ("yes", 60, 10, False),
        (None, 60, 10, False),
    ],
)
def test_done_comfortably(outcome, expected, actual, ok):
    assert rules.is_comfortable(outcome, expected, actual) is ok


def test_experiment_summary_arithmetic():
    items = [
        ExperimentOutcome(1, "no", 80, 40),
        ExperimentOutcome(1, "no", 60, 30),
        ExperimentOutcome(2, "partly", 70, 60),
        ExperimentOutcome(3, "yes", 50, 70),
        ExperimentOutcome(None, "no", 90, None),
    ]
    s = rules.summarise_experiments(items)
    assert (s.finished, s.not_feared, s.partly, s.feared) == (5, 3, 1, 1)
    assert (s.steps_tried, s.steps_not_feared) == (3, 1)
    assert_allclose(s.mean_belief_before, (80 + 60 + 70 + 50 + 90) / 5, atol=1e-12)
    assert_allclose(s.mean_belief_after, (40 + 30 + 60 + 70) / 4, atol=1e-12)
    assert_allclose(s.mean_belief_change, (-40 - 30 - 10 + 20) / 4, atol=1e-12)


def test_experiment_summary_empty_and_bad():
    s = rules.summarise_experiments([])
    assert s.finished == 0 and s.mean_belief_before is None and s.mean_belief_change is None
    with pytest.raises(ValueError):
        rules.summarise_experiments([ExperimentOutcome(None, "maybe", 1, 1)])


def test_patterns_arithmetic():
    recs = [
        MomentRecord("late_reply", 80, 40),
        MomentRecord("late_reply", 70, 60),
        MomentRecord("late_reply", 60, None),
        MomentRecord("quiet_evening", 50, 55),
        MomentRecord("criticism", 90, 30),
    ]
    p = rules.patterns(recs)
    assert (p.total, p.rated) == (5, 4)
    assert_allclose(p.mean_drop, (40 + 10 - 5 + 60) / 4, atol=1e-12)
    assert [k.kind for k in p.kinds] == ["late_reply", "criticism", "quiet_evening"]
    late = p.kinds[0]
    assert (late.count, late.rated) == (3, 2)
    assert_allclose(late.mean_drop, 25.0, atol=1e-12)
    assert_allclose(p.kinds[2].mean_drop, -5.0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 100), st.none() | st.integers(0, 100)),
                max_size=30))
def test_patterns_mean_is_weighted_mean_of_kinds(rows):
    p = rules.patterns([MomentRecord(*r) for r in rows])
    assert sum(k.count for k in p.kinds) == p.total == len(rows)
    if p.rated:
        weighted = sum(k.mean_drop * k.rated for k in p.kinds if k.rated) / p.rated
        assert_allclose(p.mean_drop, weighted, atol=1e-9)


def test_seeded_random_ladders_climb_without_jumps():
    # Simulate someone who succeeds at every suggested step: each suggestion stays within the margin.
    rng = random.Random(7)
    for _ in range(50):
        steps = [StepState(k, rng.randint(0, 100), False, order=k) for k in range(rng.randint(0, 12))]
        hardest = None
        while True:
            got = next_step(steps)
            if got.key is None:
                break
            chosen = next(s for s in steps if s.key == got.key)
            limit = rules.START_CEILING if hardest is None else hardest + rules.MARGIN
            assert chosen.difficulty <= limit
            hardest = max(hardest or 0, chosen.difficulty)
            steps = [StepState(s.key, s.difficulty, s.done_comfortably or s.key == got.key, s.order) for s in steps]
