"""Reliable change (Jacobson & Truax 1991) with hand-computed examples."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from nearer.measures import (
    ChangeError,
    jacobson_truax_cutoff,
    load_definition,
    register_instrument,
    reliable_change,
    s_diff,
    score,
    unregister_instrument,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "clinic-instrument-example.json"
PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]

# PHQ-9: SD 5.4, r 0.84 -> S_diff = 5.4 * 1.41421356 * 0.4 = 3.05470129
PHQ9_SDIFF = 3.0547012947
# GAD-7: SD 3.4, r 0.83 -> S_diff = 3.4 * 1.41421356 * 0.41231056 = 1.98252364
GAD7_SDIFF = 1.9825236442


def test_s_diff_includes_sqrt2() -> None:
    assert s_diff(5.4, 0.84) == pytest.approx(PHQ9_SDIFF, abs=1e-9)
    assert s_diff(3.4, 0.83) == pytest.approx(GAD7_SDIFF, abs=1e-9)
    # SD 10, r 0.5: 10 * sqrt(2) * sqrt(0.5) = 10 exactly
    assert s_diff(10.0, 0.5) == pytest.approx(10.0, abs=1e-12)
    # Without sqrt(2) it would be the standard error of measurement, which is smaller.
    assert s_diff(5.4, 0.84) / (5.4 * math.sqrt(1 - 0.84)) == pytest.approx(math.sqrt(2), abs=1e-12)


@pytest.mark.parametrize(("sd", "r"), [(0, 0.8), (-1, 0.8), (5, 0), (5, 1), (5, 1.2)])
def test_s_diff_rejects_bad_parameters(sd: float, r: float) -> None:
    with pytest.raises(ChangeError):
        s_diff(sd, r)


def test_phq9_six_point_drop_is_reliable_five_is_not() -> None:
    six = reliable_change("phq9", 16, 10)
    assert six.index == pytest.approx(-6 / PHQ9_SDIFF, abs=1e-9)  # -1.9642
    assert six.index == pytest.approx(-1.96418550, abs=1e-7)
    assert six.label == "reliable_improvement"
    assert six.s_diff == pytest.approx(PHQ9_SDIFF, abs=1e-9)
    assert (six.sd, six.r) == (5.4, 0.84)
    assert "Kroenke" in six.r_source
    assert "back-calculated" in six.sd_source
    # 10 is still in the clinical range (cutoff 9.5): reliable but not recovered
    assert six.recovered is False
    five = reliable_change("phq9", 16, 11)
    # Omitting sqrt(2) would give -5 / 2.16 = -2.31 and call this reliable.
    assert five.index == pytest.approx(-5 / PHQ9_SDIFF, abs=1e-9)  # -1.6368
    assert five.label == "no_reliable_change"


def test_phq9_recovered_needs_reliable_change_and_crossing() -> None:
    crossed_reliably = reliable_change("phq9", 16, 9)
    assert crossed_reliably.index == pytest.approx(-7 / PHQ9_SDIFF, abs=1e-9)  # -2.2916
    assert crossed_reliably.label == "reliable_improvement"
    assert crossed_reliably.recovered is True
    # Crossing the cutoff without reliable change is not recovery.
    crossed_only = reliable_change("phq9", 12, 9)
    assert crossed_only.label == "no_reliable_change"
    assert crossed_only.recovered is False
    # Reliable change that starts below the cutoff is not recovery either.
    started_low = reliable_change("phq9", 9, 2)
    assert started_low.label == "reliable_improvement"
    assert started_low.recovered is False


def test_phq9_deterioration() -> None:
    worse = reliable_change("phq9", 5, 12)
    assert worse.index == pytest.approx(7 / PHQ9_SDIFF, abs=1e-9)
    assert worse.label == "reliable_deterioration"
    assert worse.recovered is False
    # The baseline (5) is outside the clinical range: "response" and "remission" do not apply.
    assert worse.response is None
    assert worse.remission is None


@pytest.mark.parametrize(
    ("pre", "post", "response", "remission"),
    [
        (16, 9, False, False),  # 7/16 = 44% drop
        (16, 8, True, False),  # exactly 50%
        (20, 4, True, True),
        (12, 7, False, False),  # 5/12 = 42% drop, 7 is not below 5
        (10, 5, True, False),  # 5 is not below 5
        (10, 4, True, True),
        # From a baseline outside the clinical range (9 and below) neither label applies.
        (6, 4, None, None),
        (9, 0, None, None),
        (0, 0, None, None),
    ],
)
def test_phq9_response_and_remission(pre: int, post: int, response: bool | None, remission: bool | None) -> None:
    result = reliable_change("phq9", pre, post)
    assert result.response is response
    assert result.remission is remission


def test_gad7_four_point_drop_is_reliable_three_is_not() -> None:
    four = reliable_change("gad7", 12, 8)
    assert four.index == pytest.approx(-4 / GAD7_SDIFF, abs=1e-9)  # -2.0176
    assert four.label == "reliable_improvement"
    assert four.recovered is False  # 8 is still at caseness (cutoff 7.5)
    assert reliable_change("gad7", 12, 7).recovered is True
    assert reliable_change("gad7", 12, 9).label == "no_reliable_change"
    assert four.response is None and four.remission is None
    assert "Spitzer" in four.r_source


def test_accepts_score_results_but_not_across_instruments() -> None:
    before = score("phq9", dict.fromkeys(PHQ9, 2))  # 18
    after = score("phq9", dict.fromkeys(PHQ9, 1))  # 9
    result = reliable_change("phq9", before, after)
    assert (result.before, result.after) == (18, 9)
    assert result.index == pytest.approx(-9 / PHQ9_SDIFF, abs=1e-9)
    gad = score("gad7", dict.fromkeys(["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8",
                                       "69736-7"], 1))
    with pytest.raises(ChangeError, match="same instrument"):
        reliable_change("phq9", before, gad)


def test_out_of_range_and_missing_parameters() -> None:
    with pytest.raises(ChangeError, match="outside"):
        reliable_change("phq9", 28, 3)
    with pytest.raises(ChangeError, match="phq2 has no SD"):
        reliable_change("phq2", 4, 1)


def test_jacobson_truax_cutoff_hand_computed() -> None:
    # (0.5 * 2.5 + 0.7 * 4.0) / (0.5 + 0.7) = 4.05 / 1.2 = 3.375
    assert jacobson_truax_cutoff(4.0, 0.5, 2.5, 0.7) == pytest.approx(3.375, abs=1e-12)
    # (3.5 * 15 + 5.5 * 2.9) / 9 = 68.45 / 9 = 7.605555...
    assert jacobson_truax_cutoff(2.9, 3.5, 15.0, 5.5) == pytest.approx(7.6055556, abs=1e-7)
    # equal SDs: the midpoint
    assert jacobson_truax_cutoff(2.0, 1.0, 8.0, 1.0) == pytest.approx(5.0, abs=1e-12)
    with pytest.raises(ValueError):
        jacobson_truax_cutoff(2.0, 0.0, 8.0, 1.0)


@pytest.fixture
def example():
    inst = register_instrument(load_definition(EXAMPLE.read_text(encoding="utf-8")))
    yield inst
    unregister_instrument(inst.id)


def test_higher_is_better_flips_the_direction(example) -> None:
    # SD 0.7, r 0.8: S_diff = 0.7 * sqrt(2) * sqrt(0.2) = 0.44271887
    sdiff = 0.4427188724
    up = reliable_change(example.id, 2.5, 4.0)
    assert up.s_diff == pytest.approx(sdiff, abs=1e-9)
    assert up.index == pytest.approx(1.5 / sdiff, abs=1e-9)  # +3.388: a rise is improvement here
    assert up.label == "reliable_improvement"
    assert up.recovered is True  # from below the cutoff 3.375 to above it
    assert up.cutoff == pytest.approx(3.375, abs=1e-12)
    down = reliable_change(example.id, 4.0, 2.5)
    assert down.index == pytest.approx(-1.5 / sdiff, abs=1e-9)
    assert down.label == "reliable_deterioration"
    assert down.recovered is False
    # crossing without reliable change
    small = reliable_change(example.id, 3.3, 3.5)
    assert small.label == "no_reliable_change"
    assert small.recovered is False
    # reliable improvement but already on the healthy side
    healthy = reliable_change(example.id, 3.5, 4.5)
    assert healthy.label == "reliable_improvement"
    assert healthy.recovered is False
    assert up.response is None and up.remission is None
