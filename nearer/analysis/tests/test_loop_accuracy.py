"""The pooled loop fit recovers known person effects better than per-person least squares."""

import numpy as np
import pytest

from nearer.analysis.loop import fit_loop
from nearer.analysis.simulate import simulate_diaries

CROSS = [1, 2]  # closeness_to_mood, mood_to_closeness


def _scores(seed: int):
    sim = simulate_diaries(200, 42, np.random.default_rng(seed))
    fit = fit_loop(*sim.observed())
    truth = sim.true_coef
    rmse_pooled = np.sqrt(np.mean((fit.coef - truth) ** 2, axis=0))
    rmse_ols = np.sqrt(np.nanmean((fit.ols.coef - truth) ** 2, axis=0))
    coverage = np.mean((fit.low <= truth) & (truth <= fit.high), axis=0)
    return sim, fit, rmse_pooled / rmse_ols, coverage


def test_simulated_diaries_look_like_the_brief():
    sim, fit, _, _ = _scores(2024)
    assert 0.12 <= sim.missing_fraction <= 0.17
    observed = sim.mood[~np.isnan(sim.mood)]
    assert set(np.unique(observed)) <= set(range(11))
    # 6 weeks with gaps: roughly 30 consecutive pairs each (41 at most).
    assert 25 <= fit.n_pairs.mean() <= 36
    assert fit.n_pairs.max() <= 41


def test_pooling_beats_per_person_least_squares_and_covers():
    _, fit, ratio, coverage = _scores(2024)
    # Measured with this seed: ratio ~0.35 / ~0.38, coverage 0.92 / 0.875.
    assert np.all(ratio[CROSS] <= 0.65), ratio
    assert np.all((coverage[CROSS] >= 0.85) & (coverage[CROSS] <= 0.95)), coverage
    assert fit.population is not None and fit.population.converged
    # The population mean of the cross effects is near the simulated 0.10 / 0.08.
    np.testing.assert_allclose(fit.population.mean[CROSS], [0.10, 0.08], atol=0.04)


@pytest.mark.slow
def test_accuracy_holds_on_average_over_ten_replications():
    ratios, coverages = [], []
    for seed in range(2024, 2034):
        _, _, ratio, coverage = _scores(seed)
        ratios.append(ratio)
        coverages.append(coverage)
    mean_ratio = np.mean(ratios, axis=0)
    mean_cov = np.mean(coverages, axis=0)
    assert np.all(mean_ratio[CROSS] <= 0.65)
    assert np.all((mean_cov[CROSS] >= 0.85) & (mean_cov[CROSS] <= 0.95)), mean_cov
