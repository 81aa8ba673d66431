"""Where the models coincide, the engine equals statsmodels OLS / VAR(1)."""

import numpy as np
import statsmodels.api as sm
from statsmodels.tsa.api import VAR

from nearer.analysis.loop import fit_loop
from nearer.analysis.ols import fit_ols_loop
from nearer.analysis.simulate import simulate_diaries


def _complete_series(n=60, seed=7):
    sim = simulate_diaries(1, n, np.random.default_rng(seed), missing_rate=0.0)
    return sim.day, sim.mood, sim.closeness


def _sm_pairs(day, mood, clos):
    """Consecutive-day design built by hand, the way an analyst would."""
    order = np.argsort(day)
    day, mood, clos = day[order], mood[order], clos[order]
    ok = (np.diff(day) == 1) & np.isfinite(mood[1:]) & np.isfinite(clos[1:]) & np.isfinite(mood[:-1]) & np.isfinite(clos[:-1])
    x = sm.add_constant(np.column_stack([mood[:-1][ok], clos[:-1][ok]]))
    return x, mood[1:][ok], clos[1:][ok]


def test_no_pooling_complete_series_equals_ols_and_var():
    day, mood, clos = _complete_series()
    fit = fit_loop(np.zeros(day.size, int), day, mood, clos, pooling=False)
    x, ym, yc = _sm_pairs(day, mood, clos)
    rm = sm.OLS(ym, x).fit()
    rc = sm.OLS(yc, x).fit()
    expected = [rm.params[1], rm.params[2], rc.params[1], rc.params[2]]
    np.testing.assert_allclose(fit.coef[0], expected, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fit.ols.se[0], [rm.bse[1], rm.bse[2], rc.bse[1], rc.bse[2]], rtol=1e-8)
    ci_m, ci_c = rm.conf_int(alpha=0.10), rc.conf_int(alpha=0.10)
    np.testing.assert_allclose(fit.low[0], [ci_m[1, 0], ci_m[2, 0], ci_c[1, 0], ci_c[2, 0]], atol=1e-8)
    np.testing.assert_allclose(fit.high[0], [ci_m[1, 1], ci_m[2, 1], ci_c[1, 1], ci_c[2, 1]], atol=1e-8)

    var = VAR(np.column_stack([mood, clos])).fit(1)
    # VAR coefs[0] is the lag matrix B (rows: equations mood, closeness).
    np.testing.assert_allclose(fit.coef[0], var.coefs[0].reshape(-1), rtol=0, atol=1e-8)


def test_gap_aware_equals_ols_on_consecutive_pair_design():
    sim = simulate_diaries(1, 90, np.random.default_rng(11), missing_rate=0.25)
    day, mood, clos = sim.day, sim.mood, sim.closeness
    # Some days missing only one answer, and rows missing entirely.
    mood = mood.copy()
    mood[[5, 17, 40]] = np.nan
    keep = np.ones(day.size, bool)
    keep[[30, 31, 60]] = False
    day, mood, clos = day[keep], mood[keep], clos[keep]
    shuffle = np.random.default_rng(3).permutation(day.size)
    fit = fit_ols_loop(np.zeros(day.size, int), day[shuffle], mood[shuffle], clos[shuffle])
    x, ym, yc = _sm_pairs(day, mood, clos)
    assert fit.n_pairs[0] == x.shape[0]
    rm, rc = sm.OLS(ym, x).fit(), sm.OLS(yc, x).fit()
    np.testing.assert_allclose(fit.coef[0], [rm.params[1], rm.params[2], rc.params[1], rc.params[2]], atol=1e-8)


def test_many_people_without_pooling_match_statsmodels_person_by_person():
    sim = simulate_diaries(5, 50, np.random.default_rng(5))
    p, d, m, c = sim.observed()
    fit = fit_loop(p, d, m, c, pooling=False)
    for k in range(5):
        sel = p == k
        x, ym, yc = _sm_pairs(d[sel], m[sel], c[sel])
        rm, rc = sm.OLS(ym, x).fit(), sm.OLS(yc, x).fit()
        np.testing.assert_allclose(
            fit.coef[k], [rm.params[1], rm.params[2], rc.params[1], rc.params[2]], atol=1e-8
        )
        assert fit.n_pairs[k] == x.shape[0]


def test_huge_between_person_variance_gives_back_ols():
    from nearer.analysis.loop import LoopPopulation

    day, mood, clos = _complete_series(80, seed=2)
    flat = LoopPopulation(mean=np.zeros(4), tau=np.eye(4) * 1e10, resid_cov=np.eye(2), resid_prior_dof=0.0)
    pooled = fit_loop(np.zeros(day.size, int), day, mood, clos, population=flat, bias_correction=False)
    x, ym, yc = _sm_pairs(day, mood, clos)
    rm, rc = sm.OLS(ym, x).fit(), sm.OLS(yc, x).fit()
    np.testing.assert_allclose(pooled.coef[0], [rm.params[1], rm.params[2], rc.params[1], rc.params[2]], atol=1e-7)


def test_huge_between_person_variance_with_bias_correction_gives_corrected_ols():
    """With a flat prior the corrected estimate is OLS plus the first-order Nickell term.

    For one unbroken series of T pairs the correction adds
    ``(1 - 1/T) * Sigma (I - B')^-1 (X'X)^-1`` to the OLS lag matrix, with B the
    plug-in (here the supplied population mean) and Sigma the residual covariance.
    """
    from nearer.analysis.loop import LoopPopulation

    day, mood, clos = _complete_series(80, seed=2)
    plug = np.array([0.3, 0.1, 0.05, 0.2])
    flat = LoopPopulation(mean=plug, tau=np.eye(4) * 1e10, resid_cov=np.eye(2), resid_prior_dof=0.0)
    pooled = fit_loop(np.zeros(day.size, int), day, mood, clos, population=flat)
    assert pooled.bias_corrected
    x, ym, yc = _sm_pairs(day, mood, clos)
    rm, rc = sm.OLS(ym, x).fit(), sm.OLS(yc, x).fit()
    b_ols = np.array([[rm.params[1], rm.params[2]], [rc.params[1], rc.params[2]]])
    resid = np.column_stack([rm.resid, rc.resid])
    sigma = resid.T @ resid / (x.shape[0] - 3)
    xc = x[:, 1:] - x[:, 1:].mean(axis=0)
    t = x.shape[0]
    expected = b_ols + (1 - 1 / t) * sigma @ np.linalg.inv(np.eye(2) - plug.reshape(2, 2).T) @ np.linalg.inv(xc.T @ xc)
    np.testing.assert_allclose(pooled.coef[0], expected.reshape(-1), atol=1e-7)


def test_t_quantile_matches_scipy_without_importing_it():
    """The engine's own Student t quantile (scipy's import cost 0.2 s of `nearer loop fit`)."""
    from scipy import stats

    from nearer.analysis.ols import t_quantile

    dof = np.arange(0, 2001)
    for q in (0.05, 0.55, 0.8, 0.9, 0.95, 0.975, 0.995, 0.9995):
        got = t_quantile(q, dof)
        assert np.isnan(got[0])
        np.testing.assert_allclose(got[1:], stats.t.ppf(q, dof[1:]), rtol=1e-10, atol=0)
    np.testing.assert_array_equal(t_quantile(0.5, [0, 1, 7]), [np.nan, 0.0, 0.0])
