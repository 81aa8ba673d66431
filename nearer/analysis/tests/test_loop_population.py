"""The population estimate is the fixed point of the EM algorithm, reached by Fisher scoring."""

import numpy as np
import pytest

from nearer.analysis import loop, ols
from nearer.analysis.simulate import simulate_diaries


def _em(prec, score, mu, tau, n_iter=20_000, tol=1e-13):
    """Plain EM for (mu, T) with the inverse-Wishart-style hyperprior (the earlier engine's algorithm)."""
    n = prec.shape[2]
    prior_ss = loop._TAU_PRIOR_DOF * loop._TAU_PRIOR_SCALE
    for _ in range(n_iter):
        m, p = loop._posterior(prec, score, mu, tau)
        mu_new = m.mean(axis=1)
        d = m - mu_new[:, None]
        tau_new = (d @ d.T + p.sum(axis=2) + prior_ss) / (n + loop._TAU_PRIOR_DOF)
        tau_new = 0.5 * (tau_new + tau_new.T)
        change = max(np.abs(mu_new - mu).max(), np.abs(tau_new - tau).max())
        mu, tau = mu_new, tau_new
        if change < tol:
            return mu, tau
    raise AssertionError("EM did not converge")


@pytest.mark.parametrize(("n_people", "n_days", "seed"), [(200, 42, 2024), (60, 90, 5), (25, 30, 6)])
def test_fisher_scoring_reaches_the_em_fixed_point(n_people, n_days, seed):
    sim = simulate_diaries(n_people, n_days, np.random.default_rng(seed))
    st = ols.pair_statistics(*sim.observed())
    fit = ols.ols_from_stats(st)
    parts = loop._Parts.of(st, fit)
    pop = loop._estimate_population(st, fit, parts, bias_correction=False)
    assert pop is not None and pop.converged
    assert pop.iterations < 40  # EM needs hundreds of iterations to get as close
    use = np.flatnonzero(st.n_pairs > 0)
    prec, score = loop._information(parts.take(use), pop.resid_cov, loop.RESID_PRIOR_DOF)
    mu, tau = _em(prec, score, np.zeros(4), np.eye(4) * 0.05)
    np.testing.assert_allclose(pop.mean, mu, rtol=0, atol=1e-7)
    np.testing.assert_allclose(pop.tau, tau, rtol=0, atol=1e-7)


def test_with_bias_correction_the_plug_in_is_the_estimate_itself():
    """The corrected scores use the population mean as plug-in; at convergence EM agrees with it."""
    sim = simulate_diaries(200, 42, np.random.default_rng(2024))
    st = ols.pair_statistics(*sim.observed())
    fit = ols.ols_from_stats(st)
    parts = loop._Parts.of(st, fit)
    pop = loop._estimate_population(st, fit, parts, bias_correction=True)
    assert pop is not None and pop.converged
    use = np.flatnonzero(st.n_pairs > 0)
    sub = parts.take(use)
    prec, score = loop._information(sub, pop.resid_cov, loop.RESID_PRIOR_DOF)
    corrected = score + loop._bias_correction(sub, pop.mean)
    mu, tau = _em(prec, corrected, np.zeros(4), np.eye(4) * 0.05)
    np.testing.assert_allclose(pop.mean, mu, rtol=0, atol=1e-7)
    np.testing.assert_allclose(pop.tau, tau, rtol=0, atol=1e-7)


def test_bias_correction_is_zero_without_information():
    # No pairs, a constant series, and one pair only: nothing to correct.
    p = np.array([0] * 1 + [1] * 20 + [2] * 2)
    d = np.concatenate([[10], np.arange(20), [5, 6]])
    m = np.concatenate([[5.0], np.full(20, 4.0), [3.0, 7.0]])
    c = np.concatenate([[5.0], np.full(20, 6.0), [2.0, 8.0]])
    st = ols.pair_statistics(p, d, m, c)
    parts = loop._Parts.of(st, ols.ols_from_stats(st))
    np.testing.assert_array_equal(loop._bias_correction(parts, np.array([0.3, 0.1, 0.1, 0.3])), 0.0)


def test_bias_correction_of_an_unbroken_series_is_the_nickell_term():
    # One person, 31 days, 30 pairs in one chain: correction (1 - 1/30) (I - B')^-1.
    sim = simulate_diaries(1, 31, np.random.default_rng(3), missing_rate=0.0)
    st = ols.pair_statistics(sim.person_idx, sim.day, sim.mood, sim.closeness)
    assert st.n_pairs[0] == 30 and st.n_chains[0] == 1
    parts = loop._Parts.of(st, ols.ols_from_stats(st))
    b = np.array([[0.4, 0.1], [0.05, 0.3]])
    expected = (1 - 1 / 30) * np.linalg.inv(np.eye(2) - b.T)
    np.testing.assert_allclose(loop._bias_correction(parts, b.reshape(-1))[:, 0], expected.reshape(-1), rtol=1e-12)
    # An explosive plug-in is scaled back to spectral radius 0.9 first.
    wild = np.array([[1.2, 0.0], [0.0, 0.6]])
    expected = (1 - 1 / 30) * np.linalg.inv(np.eye(2) - (wild * 0.75).T)
    np.testing.assert_allclose(loop._bias_correction(parts, wild.reshape(-1))[:, 0], expected.reshape(-1), rtol=1e-12)


def test_groups_of_people_in_the_final_pass_do_not_change_the_fit(monkeypatch):
    sim = simulate_diaries(50, 30, np.random.default_rng(9))
    whole = loop.fit_loop(*sim.observed())
    monkeypatch.setattr(loop, "_POST_CHUNK", 7)
    grouped = loop.fit_loop(*sim.observed(), population=whole.population)
    np.testing.assert_allclose(grouped.coef, whole.coef, rtol=0, atol=1e-14)
    np.testing.assert_allclose(grouped.cov, whole.cov, rtol=0, atol=1e-14)
    np.testing.assert_allclose(grouped.low, whole.low, rtol=0, atol=1e-14)
