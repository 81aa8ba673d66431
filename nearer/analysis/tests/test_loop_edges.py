"""Edge cases of the loop engine: nothing crashes, and the answers say what they mean."""

from datetime import date, timedelta

import numpy as np
import pytest

from nearer.analysis.loop import (
    DEFAULT_POPULATION,
    MIN_PAIRS_FOR_LOOP,
    LoopPopulation,
    PriorSource,
    fit_loop,
    fit_person_loop,
)
from nearer.analysis.simulate import simulate_diaries


def test_empty_input_gives_empty_fit():
    fit = fit_loop([], [], [], [])
    assert fit.n_people == 0
    assert fit.coef.shape == (0, 4)


def test_one_person_one_day_gets_the_prior_with_wide_interval():
    fit = fit_loop([4], [739000], [5.0], [6.0])
    assert fit.person_ids.tolist() == [4]
    assert fit.n_pairs.tolist() == [0]
    np.testing.assert_allclose(fit.coef[0], DEFAULT_POPULATION.mean, atol=1e-12)
    width = fit.high[0] - fit.low[0]
    np.testing.assert_allclose(width, 2 * 1.6448536 * np.sqrt(np.diag(DEFAULT_POPULATION.tau)), rtol=1e-6)
    assert fit.population is not None and fit.population.source is PriorSource.DEFAULT
    # Without pooling there is nothing to say: NaN.
    assert np.all(np.isnan(fit_loop([4], [739000], [5.0], [6.0], pooling=False).coef))


def test_all_days_missing():
    fit = fit_loop([0, 0, 0, 1, 1], [1, 2, 3, 1, 2], [np.nan] * 5, [np.nan] * 5)
    assert fit.n_pairs.tolist() == [0, 0]
    assert fit.n_days.tolist() == [0, 0]
    assert np.all(np.isfinite(fit.coef))


def test_constant_series_is_flagged_and_does_not_crash():
    days = np.arange(30)
    fit = fit_loop(np.zeros(30, int), days, np.full(30, 5.0), np.full(30, 7.0))
    assert fit.singular.tolist() == [True]
    assert np.all(np.isfinite(fit.coef)) and np.all(fit.low <= fit.high)
    ols = fit_loop(np.zeros(30, int), days, np.full(30, 5.0), np.full(30, 7.0), pooling=False)
    np.testing.assert_allclose(ols.coef[0], 0.0, atol=1e-12)  # minimum-norm solution
    assert np.all(np.isnan(ols.low))  # not identified: no interval


def test_one_constant_variable_still_estimates_the_other():
    rng = np.random.default_rng(1)
    mood = rng.integers(0, 11, 40).astype(float)
    fit = fit_loop(np.zeros(40, int), np.arange(40), mood, np.full(40, 6.0))
    assert fit.singular[0]
    assert np.all(np.isfinite(fit.coef))


def test_duplicate_day_is_an_error():
    with pytest.raises(ValueError, match="duplicate"):
        fit_loop([0, 0, 0], [1, 2, 2], [3, 4, 5], [3, 4, 5])


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="same length"):
        fit_loop([0, 0], [1, 2, 3], [3, 4, 5], [3, 4, 5])


def test_unsorted_input_and_arbitrary_person_ids_give_the_same_fit():
    sim = simulate_diaries(30, 30, np.random.default_rng(8))
    p, d, m, c = sim.observed()
    ref = fit_loop(p, d, m, c)
    perm = np.random.default_rng(9).permutation(p.size)
    ids = p * 1_000_003 + 17  # sparse ids take the np.unique path
    shuffled = fit_loop(ids[perm], d[perm], m[perm], c[perm])
    np.testing.assert_array_equal(shuffled.person_ids, np.arange(30) * 1_000_003 + 17)
    np.testing.assert_allclose(shuffled.coef, ref.coef, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(shuffled.n_pairs, ref.n_pairs)


def test_a_gap_is_never_bridged():
    # Days 1,2,3 then 5,6: pairs (1,2), (2,3), (5,6) only.
    fit = fit_loop([0] * 5, [1, 2, 3, 5, 6], [1, 2, 3, 4, 5], [2, 3, 4, 5, 6], pooling=False)
    assert fit.n_pairs.tolist() == [3]
    # A day with one blank answer breaks the chain too.
    fit = fit_loop([0] * 4, [1, 2, 3, 4], [1, np.nan, 3, 4], [2, 3, 4, 5], pooling=False)
    assert fit.n_pairs.tolist() == [1]


def test_few_people_fall_back_to_default_prior_and_many_fit_their_own():
    small = simulate_diaries(5, 60, np.random.default_rng(1))
    assert fit_loop(*small.observed()).population.source is PriorSource.DEFAULT
    big = simulate_diaries(60, 60, np.random.default_rng(1))
    pop = fit_loop(*big.observed()).population
    assert pop.source is PriorSource.FITTED and pop.n_people == 60
    again = LoopPopulation.from_dict(pop.to_dict())
    np.testing.assert_allclose(again.tau, pop.tau)
    assert again.source is PriorSource.FITTED


def test_fit_person_loop_with_dates_and_needed_days():
    start = date(2025, 3, 1)
    sim = simulate_diaries(1, 10, np.random.default_rng(2), missing_rate=0.0)
    days = [start + timedelta(days=i) for i in range(10)]
    res = fit_person_loop(days, sim.mood, sim.closeness)
    assert res.n_pairs == 9
    assert not res.enough_data
    assert res.pairs_needed == MIN_PAIRS_FOR_LOOP - 9
    assert res.prior is PriorSource.DEFAULT
    assert res.closeness_to_mood.low < res.closeness_to_mood.value < res.closeness_to_mood.high
    # Same as the batch engine with the default prior.
    batch = fit_loop(np.zeros(10, int), [d.toordinal() for d in days], sim.mood, sim.closeness,
                     population=DEFAULT_POPULATION)
    np.testing.assert_allclose(res.closeness_to_mood.value, batch.closeness_to_mood[0], atol=1e-12)


def test_fit_person_loop_with_no_rows_and_supplied_population():
    pop = LoopPopulation(mean=np.array([0.4, 0.1, 0.1, 0.4]), tau=np.eye(4) * 0.01, resid_cov=np.eye(2))
    res = fit_person_loop([], [], [], population=pop)
    assert res.n_pairs == 0 and res.pairs_needed == MIN_PAIRS_FOR_LOOP
    assert res.prior is PriorSource.SUPPLIED
    np.testing.assert_allclose(res.mood_inertia.value, 0.4)


def test_long_diary_moves_towards_the_persons_own_values():
    sim = simulate_diaries(1, 365, np.random.default_rng(4), missing_rate=0.0)
    res = fit_person_loop(sim.day, sim.mood, sim.closeness)
    ols = fit_loop(np.zeros(365, int), sim.day, sim.mood, sim.closeness, pooling=False)
    assert res.enough_data
    np.testing.assert_allclose(res.mood_inertia.value, ols.mood_inertia[0], atol=0.03)
    np.testing.assert_allclose(res.closeness_to_mood.value, ols.closeness_to_mood[0], atol=0.03)


def test_default_interval_quantile_is_the_normal_quantile():
    from statistics import NormalDist

    from nearer.analysis.loop import _Z_DEFAULT, _z

    assert _Z_DEFAULT == NormalDist().inv_cdf(0.95)
    assert _z(0.90) == _Z_DEFAULT
    assert _z(0.80) == NormalDist().inv_cdf(0.90)
    with pytest.raises(ValueError):
        _z(1.0)


def test_loop_command_start_up_leaves_out_what_it_does_not_need():
    """Start-up is part of the command's cost (issue 17): these modules load only when needed."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; import nearer.cli, nearer.analysis.csvio, nearer.analysis.loop; "
        "print(sorted(m for m in ('statistics', 'pathlib', 'tempfile', 'numpy.ma', 'django') if m in sys.modules))"
    )
    # -S with this process's path: what site itself imports (an editable install's finder) is not ours.
    env = {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"
