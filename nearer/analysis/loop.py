"""The loop: how closeness and mood carry over from one day to the next, per person.

Model (within each person ``i``, consecutive local days only)::

    mood_t      = a_m + b_mm * mood_{t-1} + b_mc * closeness_{t-1} + e_m
    closeness_t = a_c + b_cm * mood_{t-1} + b_cc * closeness_{t-1} + e_c
    (e_m, e_c) ~ N(0, Sigma_i)

The person intercepts are handled by within-person centring (predictors and
outcomes centred on the person's means over their pairs).  The four slopes
``beta_i = (b_mm, b_mc, b_cm, b_cc)`` are partially pooled across people::

    beta_i ~ N(mu, Tau)

``mu`` and ``Tau`` maximise their marginal posterior (Fisher scoring; the
fixed point of the EM algorithm) given the per-person likelihoods in
information form (``Sigma_i^-1 kron X'X`` and the matching score), so people
with few pairs, or with constant answers and a singular ``X'X``, need no
matrix inverse of their own.  Each person's estimate is the posterior mean
``(Tau^-1 + Sigma_i^-1 kron X'X)^-1 (Tau^-1 mu + score_i)`` with a normal 90%
interval from the posterior covariance.  ``Sigma_i`` is the person's residual
covariance shrunk towards the pooled one (a scaled inverse-Wishart-style
weighted average with :data:`RESID_PRIOR_DOF` prior degrees of freedom).
By default each score carries a first-order correction for the small-sample
(Nickell) bias that within-person centring causes in lagged regressions,
which otherwise pulls inertia down by about ``(1 + inertia) / pairs``.

Everything is vectorised across people; the only Python loop is over the
population's scoring steps.  See ``docs/dev/analysis.md`` for the reasoning
and references.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .ols import COEF_NAMES, OlsLoop, PairStats, _pinv_2x2, ols_from_stats, pair_statistics

__all__ = [
    "COEF_NAMES",
    "DEFAULT_POPULATION",
    "MIN_PAIRS_FOR_LOOP",
    "MIN_PEOPLE_FOR_POPULATION",
    "Estimate",
    "LoopFit",
    "LoopPopulation",
    "PersonLoop",
    "PriorSource",
    "fit_loop",
    "fit_person_loop",
]

#: Below this many consecutive-day pairs the loop page says "N more days needed".
MIN_PAIRS_FOR_LOOP = 14

#: Fewer people with usable pairs than this and the population is not estimated
#: from the data; :data:`DEFAULT_POPULATION` is used as the prior instead.
MIN_PEOPLE_FOR_POPULATION = 20

#: Prior degrees of freedom when shrinking a person's residual covariance
#: towards the pooled one.  About a week and a half of pairs: a person's own
#: day-to-day variability dominates once they have a few weeks of data.
RESID_PRIOR_DOF = 10.0

#: Smallest residual variance used (answers are whole numbers, so rounding
#: alone contributes about 1/12): keeps constant series from producing an
#: infinitely precise likelihood.
_MIN_RESID_VAR = 0.05

#: Floor on the between-person variances (SD 0.01) so Tau stays invertible
#: when the data show no heterogeneity at all.
_MIN_TAU_VAR = 1e-4

#: Population estimation (Fisher scoring on the marginal posterior of the mean
#: and between-person covariance): at most this many steps, stopping when no
#: entry of either changes by more than ``_FIT_TOL``.  Each step is one
#: posterior pass over the people, like an EM iteration, but typically 10-25
#: steps reach a point that EM needs hundreds of iterations to get as close to.
_FIT_MAX_ITER = 200
_FIT_TOL = 1e-8

#: Step halvings tried before a Fisher step gives way to a plain EM step.
_MAX_HALVINGS = 12

#: The population is estimated from at most this many people (an evenly spaced,
#: deterministic subset): beyond that the hyperparameters are already precise
#: and the estimation time would grow for nothing.  Every person still gets a
#: posterior.
_POP_MAX_PEOPLE = 2000

#: People per group in the final posterior pass (keeps its temporaries in
#: the CPU cache).
_POST_CHUNK = 2048

#: The small-sample bias correction needs a value of the lag matrix to work
#: from: the population mean (its effect is second order, ~0.003 in the
#: corrected estimates per 0.1 of error in the plug-in).  A plug-in with a
#: larger spectral radius than this is scaled down to it, so ``(I - B)^-1``
#: stays bounded.
_MAX_PLUGIN_RADIUS = 0.9

#: Weak inverse-Wishart-style hyperprior on the between-person covariance:
#: ``_TAU_PRIOR_DOF`` pseudo-people with covariance ``_TAU_PRIOR_SCALE``
#: (SD 0.1 for the cross effects, 0.15 for inertia: the order of the
#: between-person spread reported in daily-diary studies).  With a few hundred
#: people and a few weeks each, the spread of small effects is only loosely
#: identified and the plain maximum-likelihood estimate sometimes collapses
#: towards zero, which over-shrinks everyone and makes intervals too narrow.
#: The pull vanishes as the number of people grows.
_TAU_PRIOR_DOF = 5.0
_TAU_PRIOR_SCALE = np.diag([0.15**2, 0.1**2, 0.1**2, 0.15**2])


class PriorSource(enum.StrEnum):
    """Where the population prior of a fit came from."""

    FITTED = "fitted"  # estimated from the people in this fit
    SUPPLIED = "supplied"  # passed in by the caller (e.g. last night's refit)
    DEFAULT = "default"  # too few people: the built-in weakly informative prior
    NONE = "none"  # no pooling: plain per-person least squares


@dataclass(frozen=True)
class LoopPopulation:
    """Population distribution of the person effects (the pooling prior).

    Attributes
    ----------
    mean : ndarray, shape (4,)
        Population mean of the coefficients in :data:`COEF_NAMES` order.
    tau : ndarray, shape (4, 4)
        Between-person covariance of the coefficients.
    resid_cov : ndarray, shape (2, 2)
        Pooled within-person residual covariance (mood, closeness).
    resid_prior_dof : float
        Weight of ``resid_cov`` when shrinking each person's residual covariance.
    n_people : int
        People with at least one pair that informed the estimate (0 for the default).
    iterations : int
        Scoring steps (posterior passes) used to estimate it (0 when not estimated).
    converged : bool
    source : PriorSource
    """

    mean: NDArray[np.float64]
    tau: NDArray[np.float64]
    resid_cov: NDArray[np.float64]
    resid_prior_dof: float = RESID_PRIOR_DOF
    n_people: int = 0
    iterations: int = 0
    converged: bool = True
    source: PriorSource = PriorSource.DEFAULT

    @property
    def sd(self) -> NDArray[np.float64]:
        """Between-person SDs of the four coefficients."""
        return np.sqrt(np.diag(self.tau))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (for storing a nightly refit)."""
        return {
            "mean": self.mean.tolist(),
            "tau": self.tau.tolist(),
            "resid_cov": self.resid_cov.tolist(),
            "resid_prior_dof": self.resid_prior_dof,
            "n_people": self.n_people,
            "iterations": self.iterations,
            "converged": self.converged,
            "source": self.source.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoopPopulation:
        """Inverse of :meth:`to_dict`; validates shapes."""
        pop = cls(
            mean=np.asarray(data["mean"], dtype=float),
            tau=np.asarray(data["tau"], dtype=float),
            resid_cov=np.asarray(data["resid_cov"], dtype=float),
            resid_prior_dof=float(data.get("resid_prior_dof", RESID_PRIOR_DOF)),
            n_people=int(data.get("n_people", 0)),
            iterations=int(data.get("iterations", 0)),
            converged=bool(data.get("converged", True)),
            source=PriorSource(data.get("source", PriorSource.SUPPLIED.value)),
        )
        if pop.mean.shape != (4,) or pop.tau.shape != (4, 4) or pop.resid_cov.shape != (2, 2):
            raise ValueError("population has wrong shapes")
        return pop


#: Weakly informative prior used when there is no population to learn from.
#: Cross effects are centred on zero (we do not presume a link in either
#: direction) with SD 0.2: published within-person effects of closeness or
#: partner responsiveness on next-day mood are small, around 0.1 on
#: comparable scales, and vary between people, so 0.2 comfortably covers
#: them while keeping a short diary from showing a large link by chance.
#: Inertia is centred on 0.3 with SD 0.25 (daily mood typically carries over
#: moderately).  Residual SD 1.5 points with correlation 0.3 on the 0-10 scale,
#: held with only 4 prior degrees of freedom so a person's own data dominate.
DEFAULT_POPULATION = LoopPopulation(
    mean=np.array([0.3, 0.0, 0.0, 0.3]),
    tau=np.diag([0.25**2, 0.2**2, 0.2**2, 0.25**2]),
    resid_cov=np.array([[2.25, 0.675], [0.675, 2.25]]),
    resid_prior_dof=4.0,
    source=PriorSource.DEFAULT,
)


@dataclass(frozen=True)
class LoopFit:
    """Loop estimates for many people.

    Arrays are per person, in the sorted order of the unique ``person_idx``
    values (``person_ids``).  Coefficient arrays have four columns in
    :data:`COEF_NAMES` order; named properties give single columns.

    People with no usable pair get the population mean with the population
    spread as interval (the pooled prediction, i.e. "nothing known about this
    person yet"); always look at ``n_pairs`` before showing a number.  Without
    pooling they get NaN.

    Attributes
    ----------
    person_ids : ndarray of int, shape (n_people,)
    n_pairs : ndarray of int, shape (n_people,)
        Consecutive-day pairs with both answers on both days.
    n_days : ndarray of int, shape (n_people,)
        Days with both answers.
    coef : ndarray, shape (n_people, 4)
        Posterior means (or OLS estimates when ``pooling`` is False).
    cov : ndarray, shape (n_people, 4, 4)
        Posterior covariance (or OLS sampling covariance).
    low, high : ndarray, shape (n_people, 4)
        Two-sided interval at ``level``.
    singular : ndarray of bool, shape (n_people,)
        The person has pairs but constant or collinear answers, so their own
        data cannot separate the effects (pooled fits still give estimates,
        leaning on the population; OLS gives the minimum-norm solution).
    ols : OlsLoop
        The per-person least squares baseline on the same pairs.
    population : LoopPopulation or None
        The prior used (None without pooling).
    pooling : bool
    level : float
    bias_corrected : bool
        The pooled estimates include the small-sample (Nickell) correction
        for within-person centring (see :func:`fit_loop`).
    """

    person_ids: NDArray[np.int64]
    n_pairs: NDArray[np.int64]
    n_days: NDArray[np.int64]
    coef: NDArray[np.float64]
    cov: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    singular: NDArray[np.bool_]
    ols: OlsLoop
    population: LoopPopulation | None
    pooling: bool
    level: float
    bias_corrected: bool = False

    @property
    def n_people(self) -> int:
        return int(self.person_ids.shape[0])

    @property
    def mood_inertia(self) -> NDArray[np.float64]:
        return self.coef[:, 0]

    @property
    def closeness_to_mood(self) -> NDArray[np.float64]:
        return self.coef[:, 1]

    @property
    def mood_to_closeness(self) -> NDArray[np.float64]:
        return self.coef[:, 2]

    @property
    def closeness_inertia(self) -> NDArray[np.float64]:
        return self.coef[:, 3]

    @property
    def se(self) -> NDArray[np.float64]:
        """Posterior (or sampling) SDs, shape (n_people, 4)."""
        return np.sqrt(np.einsum("nii->ni", self.cov))

    def column(self, name: str) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Estimate, low and high arrays for one coefficient name of :data:`COEF_NAMES`."""
        j = COEF_NAMES.index(name)
        return self.coef[:, j], self.low[:, j], self.high[:, j]


@dataclass(frozen=True)
class Estimate:
    """One coefficient with its interval."""

    value: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        """True when the whole interval is on one side of zero."""
        return bool(self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class PersonLoop:
    """The loop for one person (what the loop page shows).

    Attributes
    ----------
    n_pairs, n_days : int
    enough_data : bool
        ``n_pairs >= MIN_PAIRS_FOR_LOOP``.
    pairs_needed : int
        How many more consecutive-day pairs until ``enough_data``.
    closeness_to_mood, mood_to_closeness, mood_inertia, closeness_inertia : Estimate
    singular : bool
        Answers constant or moving in lockstep: the person's data alone cannot
        separate the effects.
    prior : PriorSource
    level : float
    """

    n_pairs: int
    n_days: int
    enough_data: bool
    pairs_needed: int
    closeness_to_mood: Estimate
    mood_to_closeness: Estimate
    mood_inertia: Estimate
    closeness_inertia: Estimate
    singular: bool
    prior: PriorSource
    level: float = 0.90
    extra: dict[str, Any] = field(default_factory=dict)


# The default level's normal quantile, NormalDist().inv_cdf(0.95) (a test checks it): the loop command
# need not import statistics at start-up for it.
_Z_DEFAULT = 1.6448536269514715


def _z(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError("level must be between 0 and 1")
    if level == 0.90:
        return _Z_DEFAULT
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2.0)


# Per-person matrices inside the fit are held "component first": a stack of
# n 2x2 matrices is an array of shape (2, 2, n), of 4x4 matrices (4, 4, n).
# Every arithmetic step is then a handful of numpy operations on contiguous
# length-n rows, with closed-form 2x2 and block 4x4 inverses instead of a
# LAPACK call per person.


def _cf(a: NDArray) -> NDArray[np.float64]:
    """(n, k, k) stack -> contiguous (k, k, n)."""
    return np.ascontiguousarray(np.moveaxis(a, 0, -1), dtype=np.float64)


def _column_median(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``np.median(x, axis=0)`` to the bit, without numpy.ma (np.median imports it: 6 ms of start-up)."""
    s = np.sort(x, axis=0)
    h = s.shape[0] // 2
    mid = s[h] if s.shape[0] % 2 else (s[h - 1] + s[h]) / 2.0
    return np.where(np.isnan(x).any(axis=0), np.nan, mid)


def _inv_2x2_sym(a: NDArray[np.float64], out: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
    """Inverse of symmetric (2, 2, n) stacks (closed form; the 01 entry is read as the mean of 01 and 10)."""
    if out is None:
        out = np.empty_like(a)
    off = a[0, 1] + a[1, 0]
    off *= 0.5
    inv_det = a[0, 0] * a[1, 1]
    inv_det -= off * off
    np.divide(1.0, inv_det, out=inv_det)
    np.multiply(a[1, 1], inv_det, out=out[0, 0])
    np.multiply(a[0, 0], inv_det, out=out[1, 1])
    np.multiply(off, inv_det, out=out[0, 1])
    np.negative(out[0, 1], out=out[0, 1])
    out[1, 0] = out[0, 1]
    return out


def _mul_2x2(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Matrix product of (2, 2, n) stacks."""
    return np.einsum("ijn,jkn->ikn", a, b)


def _inv_4x4_spd(a: NDArray[np.float64], *, logdet: bool = False) -> Any:
    """Inverse of symmetric positive definite (4, 4, n) stacks by 2x2 blocks (Schur complement).

    With ``logdet=True`` returns ``(inverse, sum of log-determinants)``:
    ``det A = det A11 * det(A22 - A12' A11^-1 A12)`` comes with the blocks.
    """
    out = np.empty_like(a)
    a11, a12, a22 = a[:2, :2], a[:2, 2:], a[2:, 2:]
    p11, p12, p22 = out[:2, :2], out[:2, 2:], out[2:, 2:]
    i11 = _inv_2x2_sym(a11)
    w = _mul_2x2(i11, a12)  # A11^-1 A12
    schur = np.einsum("jin,jkn->ikn", a12, w)  # A12' A11^-1 A12
    np.subtract(a22, schur, out=schur)
    _inv_2x2_sym(schur, out=p22)  # P22 = (A22 - A12' A11^-1 A12)^-1
    np.einsum("ijn,jkn->ikn", w, p22, out=p12)
    np.negative(p12, out=p12)  # P12 = -A11^-1 A12 P22
    np.einsum("ikn,lkn->iln", p12, w, out=p11)
    np.subtract(i11, p11, out=p11)  # P11 = A11^-1 - P12 (A11^-1 A12)'
    p11[0, 1] += p11[1, 0]
    p11[0, 1] *= 0.5
    p11[1, 0] = p11[0, 1]
    out[2:, :2] = np.swapaxes(p12, 0, 1)
    if not logdet:
        return out
    det = a11[0, 0] * a11[1, 1] - a11[0, 1] * a11[1, 0]
    det *= schur[0, 0] * schur[1, 1] - schur[0, 1] * schur[1, 0]
    return out, float(np.log(det).sum())


def _floor_cov(s: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.array(s, dtype=float, copy=True)
    if not np.all(np.isfinite(out)):
        return DEFAULT_POPULATION.resid_cov.copy()
    # Raising a diagonal entry keeps a PSD 2x2 matrix PSD (and makes it PD).
    out[0, 0] = max(out[0, 0], _MIN_RESID_VAR)
    out[1, 1] = max(out[1, 1], _MIN_RESID_VAR)
    return out


def _pooled_resid_cov(ols: OlsLoop) -> NDArray[np.float64] | None:
    dof = int(ols.dof.sum())
    if dof <= 0:
        return None
    return _floor_cov(ols.resid_ss.sum(axis=0) / dof)


@dataclass(frozen=True)
class _Parts:
    """What the pooled fit needs per person, component first."""

    xx: NDArray[np.float64]  # (2, 2, n) centred X'X
    xy: NDArray[np.float64]  # (2, 2, n) centred Y'X
    resid_ss: NDArray[np.float64]  # (2, 2, n)
    dof: NDArray[np.float64]  # (n,)
    proj: NDArray[np.float64]  # (2, 2, n) projector on the span of X'X (identity unless singular)
    nickell: NDArray[np.float64]  # (n,) weight of the bias correction, 1 - chains / pairs

    @classmethod
    def of(cls, st: PairStats, ols: OlsLoop) -> _Parts:
        n = st.n_people
        xx = _cf(st.xx)
        proj = np.zeros((2, 2, n))
        full = ols.rank == 2
        proj[0, 0] = full
        proj[1, 1] = full
        one = np.flatnonzero(ols.rank == 1)
        if one.size:
            # Rank one: X'X = l v v' with l = trace, so the projector v v' is X'X / trace.
            sub = xx[:, :, one]
            proj[:, :, one] = sub / (sub[0, 0] + sub[1, 1])
        pairs = st.n_pairs.astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            nickell = np.where(pairs > 0, 1.0 - st.n_chains / pairs, 0.0)
        return cls(xx, _cf(st.xy), _cf(ols.resid_ss), ols.dof.astype(np.float64), proj, nickell)

    def take(self, keep: NDArray[np.intp]) -> _Parts:
        def pick(a: NDArray[np.float64]) -> NDArray[np.float64]:
            # Fancy indexing on the last axis returns a transposed layout: copy
            # back to contiguous rows, or every later step runs strided.
            return np.ascontiguousarray(a[..., keep])

        return _Parts(
            pick(self.xx), pick(self.xy), pick(self.resid_ss), self.dof[keep], pick(self.proj), self.nickell[keep]
        )

    def slice(self, sl: slice) -> _Parts:
        """A contiguous range of people, as views."""
        return _Parts(
            self.xx[..., sl], self.xy[..., sl], self.resid_ss[..., sl], self.dof[sl], self.proj[..., sl], self.nickell[sl]
        )


def _information(
    parts: _Parts, resid_cov: NDArray[np.float64], nu0: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-person likelihood precision (4, 4, n) and score (4, n) of the slopes.

    Precision ``Sigma_i^-1 kron X'X_i``; score ``vec(Sigma_i^-1 Y'X_i)``.
    """
    n = parts.dof.shape[0]
    sigma = (nu0 * resid_cov[:, :, None] + parts.resid_ss) / (nu0 + parts.dof)
    sinv = _inv_2x2_sym(sigma)
    prec = (sinv[:, None, :, None, :] * parts.xx[None, :, None, :, :]).reshape(4, 4, n)
    score = _mul_2x2(sinv, parts.xy).reshape(4, n)
    return prec, score


def _bias_correction(parts: _Parts, coef: NDArray[np.float64]) -> NDArray[np.float64]:
    """Expected bias of the within-person score, to add to it (4, n): Nickell's bias for a VAR(1).

    Centring on the person's own means makes the lagged predictors correlate
    with the innovations: over ``T`` pairs of one unbroken series,
    ``E[sum e~ x~'] = -Sigma (I - B')^-1`` (to first order), so the score
    ``Sigma^-1 Y'X`` falls short by ``(I - B')^-1`` whatever ``X'X`` and
    ``Sigma`` are.  For the classic AR(1) this is the familiar
    ``-(1 + rho) / T`` bias of the estimate.  A missed day ends one series
    and starts another; each of the ``K`` chains loses its first lag term, so
    the correction is scaled by ``1 - K / T``.  It is projected on the span
    of the person's predictors (a constant answer carries no information and
    gets no correction).  ``coef`` (the plug-in lag matrix, rows stacked) is
    shrunk to spectral radius :data:`_MAX_PLUGIN_RADIUS` if needed.
    """
    b00, b01, b10, b11 = (float(x) for x in np.asarray(coef, dtype=np.float64).reshape(4))
    # Spectral radius of a 2x2 matrix in closed form (complex pair: sqrt(det)).
    half_tr, det = 0.5 * (b00 + b11), b00 * b11 - b01 * b10
    disc = half_tr * half_tr - det
    radius = abs(half_tr) + math.sqrt(disc) if disc >= 0 else math.sqrt(det)
    if radius > _MAX_PLUGIN_RADIUS:
        shrink = _MAX_PLUGIN_RADIUS / radius
        b00, b01, b10, b11 = b00 * shrink, b01 * shrink, b10 * shrink, b11 * shrink
    # G = (I - B')^-1 for I - B' = [[1 - b00, -b10], [-b01, 1 - b11]].
    inv_det = 1.0 / ((1.0 - b00) * (1.0 - b11) - b01 * b10)
    g00, g01, g10, g11 = (1.0 - b11) * inv_det, b10 * inv_det, b01 * inv_det, (1.0 - b00) * inv_det
    proj, w = parts.proj, parts.nickell
    corr = np.empty((2, 2, w.shape[0]))
    np.multiply(proj[0], g00, out=corr[0])
    corr[0] += g01 * proj[1]
    np.multiply(proj[0], g10, out=corr[1])
    corr[1] += g11 * proj[1]
    corr *= w
    return corr.reshape(4, -1)


def _sym_inv(a: NDArray[np.float64]) -> NDArray[np.float64]:
    inv = np.linalg.inv(a)
    return 0.5 * (inv + inv.T)


def _kron4(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """``np.kron`` of two 4x4 matrices without its Python overhead."""
    return (a[:, None, :, None] * b[None, :, None, :]).reshape(16, 16)


def _posterior(
    prec: NDArray[np.float64], score: NDArray[np.float64], mu: NDArray[np.float64], tau: NDArray[np.float64]
) -> tuple[NDArray, NDArray]:
    """Posterior means (4, n) and covariances (4, 4, n) under the prior N(mu, tau)."""
    tau_inv = _sym_inv(tau)
    post_cov = _inv_4x4_spd(tau_inv[:, :, None] + prec)
    rhs = (tau_inv @ mu)[:, None] + score
    post_mean = np.einsum("ijn,jn->in", post_cov, rhs)
    return post_mean, post_cov


@dataclass(frozen=True)
class _Marginal:
    """One posterior pass at (mu, tau) and the log marginal posterior of (mu, tau) there."""

    mu: NDArray[np.float64]
    tau: NDArray[np.float64]
    tau_inv: NDArray[np.float64]
    score: NDArray[np.float64]  # (4, n) the scores used
    mean: NDArray[np.float64]  # (4, n) posterior means
    cov: NDArray[np.float64]  # (4, 4, n) posterior covariances
    objective: float

    def with_score(self, score: NDArray[np.float64]) -> _Marginal:
        """The same pass for other scores: the covariances do not depend on them.

        ``r_i`` moves by ``delta_i``, the means by ``P_i delta_i`` and the
        objective's ``1/2 r' P r`` term by ``delta' m + 1/2 delta' P delta``.
        """
        delta = score - self.score
        shift = np.einsum("ijn,jn->in", self.cov, delta)
        objective = self.objective + float(np.vdot(delta, self.mean)) + 0.5 * float(np.vdot(delta, shift))
        return _Marginal(self.mu, self.tau, self.tau_inv, score, self.mean + shift, self.cov, objective)


def _marginal(
    prec: NDArray[np.float64], score: NDArray[np.float64], mu: NDArray[np.float64], tau: NDArray[np.float64]
) -> _Marginal:
    """Posterior pass plus the objective maximised over (mu, tau).

    With ``A_i = T^-1 + Lambda_i`` and ``r_i = T^-1 mu + s_i``, a person's
    marginal log-likelihood is (up to a constant)
    ``-1/2 log|T| - 1/2 log|A_i| + 1/2 r_i' A_i^-1 r_i - 1/2 mu' T^-1 mu``;
    the hyperprior adds ``-nu/2 log|T| - 1/2 tr(nu Psi T^-1)``.  Raises
    ``LinAlgError`` unless ``tau`` is positive definite.
    """
    n = prec.shape[2]
    chol = np.linalg.cholesky(tau)
    logdet_tau = 2.0 * float(np.log(np.diagonal(chol)).sum())
    tau_inv = _sym_inv(tau)
    cov, logdet_a = _inv_4x4_spd(tau_inv[:, :, None] + prec, logdet=True)
    rhs = (tau_inv @ mu)[:, None] + score
    mean = np.einsum("ijn,jn->in", cov, rhs)
    objective = (
        -0.5 * (n + _TAU_PRIOR_DOF) * logdet_tau
        - 0.5 * logdet_a
        + 0.5 * float(np.vdot(rhs, mean))
        - 0.5 * n * float(mu @ tau_inv @ mu)
        - 0.5 * _TAU_PRIOR_DOF * float(np.sum(_TAU_PRIOR_SCALE * tau_inv))
    )
    return _Marginal(mu, tau, tau_inv, score, mean, cov, objective)


def _gradient(cur: _Marginal) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Gradient of the objective in mu and in T (symmetric), with the deviations ``m_i - mu`` and ``sum P_i``."""
    n = cur.mean.shape[1]
    ti = cur.tau_inv
    d = cur.mean - cur.mu[:, None]
    sum_p = cur.cov.sum(axis=2)
    grad_mu = ti @ d.sum(axis=1)
    grad_tau = 0.5 * ti @ (d @ d.T + sum_p + _TAU_PRIOR_DOF * _TAU_PRIOR_SCALE - (n + _TAU_PRIOR_DOF) * cur.tau) @ ti
    return grad_mu, grad_tau, d, sum_p


def _fisher_scoring(
    prec: NDArray[np.float64],
    score: NDArray[np.float64],
    mu: NDArray[np.float64],
    tau: NDArray[np.float64],
    correction: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None,
) -> tuple[_Marginal, int, bool]:
    """Maximise the marginal posterior of (mu, tau) by Fisher scoring.

    This is the fixed point of the EM algorithm of the earlier versions (the
    M-step ``mu = mean m_i``, ``T = (sum (m_i - mu)(m_i - mu)' + P_i + nu Psi)
    / (n + nu)`` holds there), reached in far fewer posterior passes.  With
    ``W_i = T^-1 - T^-1 P_i T^-1`` (the inverse of the marginal covariance of
    person i's estimate), the gradient in ``T`` is
    ``1/2 T^-1 (sum (m_i - mu)(m_i - mu)' + P_i + nu Psi - (n + nu) T) T^-1``
    and the expected information ``1/2 sum W_i kron W_i`` plus the
    hyperprior's own curvature; the step in ``mu`` is the generalised least
    squares update ``(sum W_i)^-1 T^-1 sum (m_i - mu)``.  ``sum P_i kron P_i``
    is one matrix product of the (16, n) stack with its transpose.

    Safeguards: a step must keep ``T`` positive definite and not lower the
    objective (else it is halved).  With few people the expected information
    can understate the curvature, so a full step overshoots; the slope of the
    objective along the step, at both ends, then places the maximum of the
    quadratic through them, and the step is cut to it (and later steps start
    from twice the last length).  If no step is found, a plain EM step (which
    never lowers the objective) is taken.

    ``correction(mu)``, when given, is added to ``score`` with the current
    mean as plug-in before every step (the covariances do not depend on the
    scores, so this costs no extra posterior pass); at convergence the
    plug-in and the estimate agree.
    """
    n = prec.shape[2]
    nu = _TAU_PRIOR_DOF
    cur = _marginal(prec, score if correction is None else score + correction(mu), mu, tau)
    first_h = 1.0
    for it in range(1, _FIT_MAX_ITER + 1):
        if correction is not None and it > 1:
            cur = cur.with_score(score + correction(cur.mu))
        ti = cur.tau_inv
        grad_mu, grad_tau, d, sum_p = _gradient(cur)
        flat = cur.cov.reshape(16, n)
        kron_pp = (flat @ flat.T).reshape(4, 4, 4, 4).transpose(0, 2, 1, 3).reshape(16, 16)
        k = _kron4(ti, ti)
        q = ti @ sum_p @ ti
        r = ti @ _TAU_PRIOR_SCALE @ ti
        info = 0.5 * (n * k - _kron4(ti, q) - _kron4(q, ti) + k @ kron_pp @ k)
        info += 0.5 * nu * (_kron4(r, ti) + _kron4(ti, r) - k)
        new: _Marginal | None = None
        try:
            step_tau = np.linalg.solve(info, grad_tau.reshape(16)).reshape(4, 4)
            step_mu = np.linalg.solve(n * ti - q, grad_mu)
        except np.linalg.LinAlgError:
            slope = 0.0
        else:
            step_tau = 0.5 * (step_tau + step_tau.T)
            slope = float(grad_mu @ step_mu + np.sum(grad_tau * step_tau))
        if slope > 0.0:
            floor = cur.objective - 1e-13 * (1.0 + abs(cur.objective))
            h = first_h
            for _ in range(_MAX_HALVINGS):
                try:
                    trial = _marginal(prec, cur.score, cur.mu + h * step_mu, cur.tau + h * step_tau)
                except np.linalg.LinAlgError:  # the step left the positive definite matrices
                    h *= 0.5
                    continue
                t_mu, t_tau, _, _ = _gradient(trial)
                slope_h = float(t_mu @ step_mu + np.sum(t_tau * step_tau))
                if slope_h < -0.5 * slope:
                    # Overshoot: the quadratic with these end slopes peaks at h_star < 2h/3.
                    h_star = h * slope / (slope - slope_h)
                    try:
                        cut = _marginal(prec, cur.score, cur.mu + h_star * step_mu, cur.tau + h_star * step_tau)
                    except np.linalg.LinAlgError:
                        cut = None
                    if cut is not None and cut.objective >= max(floor, trial.objective):
                        trial, h = cut, h_star
                if trial.objective >= floor:
                    new = trial
                    first_h = min(1.0, 2.0 * h)
                    break
                h *= 0.5
        if new is None:
            mu_em = cur.mean.mean(axis=1)
            dev = cur.mean - mu_em[:, None]
            tau_em = (dev @ dev.T + sum_p + nu * _TAU_PRIOR_SCALE) / (n + nu)
            new = _marginal(prec, cur.score, mu_em, 0.5 * (tau_em + tau_em.T))
        change = max(float(np.max(np.abs(new.mu - cur.mu))), float(np.max(np.abs(new.tau - cur.tau))))
        cur = new
        if change < _FIT_TOL:
            return cur, it, True
    return cur, _FIT_MAX_ITER, False


def _estimate_population(
    st: PairStats, ols: OlsLoop, parts: _Parts, *, bias_correction: bool
) -> LoopPopulation | None:
    """Marginal posterior mode of the population mean and between-person covariance (None if too few people)."""
    use = np.flatnonzero(st.n_pairs > 0)
    n_use = int(use.size)
    resid_cov = _pooled_resid_cov(ols)
    if n_use < MIN_PEOPLE_FOR_POPULATION or resid_cov is None:
        return None
    if n_use > _POP_MAX_PEOPLE:
        # Evenly spaced people; the rounded positions rise, so dropping repeats needs no np.unique
        # (which imports numpy.ma, 8 ms of the command's start-up).
        pick = np.linspace(0, n_use - 1, _POP_MAX_PEOPLE).round().astype(np.intp)
        use = use[pick[np.flatnonzero(np.diff(pick, prepend=-1))]]
    sub = parts.take(use)
    prec, score = _information(sub, resid_cov, RESID_PRIOR_DOF)

    # Start from the spread of the better-determined OLS estimates; the
    # scoring then removes the sampling noise from it.
    rank, n_pairs, ols_coef = ols.rank[use], ols.n_pairs[use], ols.coef[use]
    good = (rank == 2) & (n_pairs >= 10)
    start = ols_coef[good] if good.sum() >= 5 else ols_coef[rank == 2]
    if start.shape[0] >= 5:
        mu = _column_median(start)
        tau = np.diag(np.maximum(np.var(start, axis=0), 0.01))
    else:
        mu = DEFAULT_POPULATION.mean.copy()
        tau = DEFAULT_POPULATION.tau.copy()
    correction = (lambda plug: _bias_correction(sub, plug)) if bias_correction else None
    fit, steps, converged = _fisher_scoring(prec, score, mu, tau, correction)
    # Keep Tau safely positive definite.
    w, v = np.linalg.eigh(fit.tau)
    tau = (v * np.maximum(w, _MIN_TAU_VAR)) @ v.T
    return LoopPopulation(
        mean=fit.mu,
        tau=tau,
        resid_cov=resid_cov,
        resid_prior_dof=RESID_PRIOR_DOF,
        n_people=n_use,
        iterations=steps,
        converged=converged,
        source=PriorSource.FITTED,
    )


def _fit_from_stats(
    st: PairStats,
    *,
    pooling: bool,
    population: LoopPopulation | None,
    level: float,
    bias_correction: bool = True,
) -> LoopFit:
    z = _z(level)
    ols = ols_from_stats(st, level=level)
    singular = ols.singular
    if not pooling:
        # OLS sampling covariance: Sigma_i kron (X'X_i)^+, from the closed-form pseudo-inverse.
        p00, p01, p11, _rank = _pinv_2x2(st.xx)
        pinv = np.stack([np.stack([p00, p01]), np.stack([p01, p11])])
        sigma = _cf(ols.resid_cov)
        cov = (sigma[:, None, :, None, :] * pinv[None, :, None, :, :]).reshape(4, 4, -1)
        return LoopFit(
            person_ids=st.person_ids, n_pairs=st.n_pairs, n_days=st.n_days, coef=ols.coef,
            cov=np.ascontiguousarray(np.moveaxis(cov, -1, 0)), low=ols.low, high=ols.high,
            singular=singular, ols=ols, population=None, pooling=False, level=level,
        )
    parts = _Parts.of(st, ols)
    if population is None:
        population = _estimate_population(st, ols, parts, bias_correction=bias_correction)
        if population is None:
            own = _pooled_resid_cov(ols)
            population = LoopPopulation(
                mean=DEFAULT_POPULATION.mean.copy(),
                tau=DEFAULT_POPULATION.tau.copy(),
                resid_cov=own if own is not None else DEFAULT_POPULATION.resid_cov.copy(),
                resid_prior_dof=DEFAULT_POPULATION.resid_prior_dof,
                n_people=0,
                source=PriorSource.DEFAULT,
            )
    # Every person's posterior, a cache-sized group of people at a time.
    n = st.n_people
    coef = np.empty((n, 4))
    cov = np.empty((n, 4, 4))
    for a in range(0, n, _POST_CHUNK):
        sl = slice(a, min(a + _POST_CHUNK, n))
        sub = parts.slice(sl)
        prec, score = _information(sub, population.resid_cov, population.resid_prior_dof)
        if bias_correction:
            score += _bias_correction(sub, population.mean)
        mean_cf, cov_cf = _posterior(prec, score, population.mean, population.tau)
        coef[sl] = mean_cf.T
        cov[sl] = np.moveaxis(cov_cf, -1, 0)
    half = z * np.sqrt(np.einsum("nii->ni", cov))
    return LoopFit(
        person_ids=st.person_ids, n_pairs=st.n_pairs, n_days=st.n_days, coef=coef,
        cov=cov, low=coef - half, high=coef + half,
        singular=singular, ols=ols, population=population, pooling=True, level=level,
        bias_corrected=bias_correction,
    )


def fit_loop(
    person_idx: ArrayLike,
    day: ArrayLike,
    mood: ArrayLike,
    closeness: ArrayLike,
    *,
    pooling: bool = True,
    population: LoopPopulation | None = None,
    level: float = 0.90,
    bias_correction: bool = True,
) -> LoopFit:
    """Fit the lag-1 mood/closeness loop for every person at once.

    Parameters
    ----------
    person_idx : array_like of int, shape (n_rows,)
        Person of each row (any integers, any order).
    day : array_like of int, shape (n_rows,)
        The person's local day number, e.g. ``date.toordinal()``.  Pairs are
        formed only between day ``t - 1`` and day ``t``.
    mood, closeness : array_like of float, shape (n_rows,)
        Answers on the 0-10 scale; NaN for a missing answer.  A day missing
        either answer counts as a missed day for the loop.
    pooling : bool, default True
        Partially pool person effects (empirical Bayes).  False gives plain
        per-person least squares with t intervals.
    population : LoopPopulation, optional
        Use this prior instead of estimating one (e.g. a stored nightly refit).
        When omitted, the population is estimated from these people if
        at least :data:`MIN_PEOPLE_FOR_POPULATION` have pairs, otherwise
        :data:`DEFAULT_POPULATION` is used.
    level : float, default 0.90
        Interval level.
    bias_correction : bool, default True
        Correct the pooled estimates for the small-sample bias that centring
        on a person's own means causes in lagged regressions (Nickell 1981,
        extended to the two-variable case): without it, inertia comes out
        about ``(1 + inertia) / n_pairs`` too low.  Applied to the score of
        each person's likelihood, so it works with partial pooling and with
        singular designs; ignored without pooling (plain least squares).

    Returns
    -------
    LoopFit

    Raises
    ------
    ValueError
        On mismatched lengths or a duplicate person/day row.

    Notes
    -----
    Cost is one blocked pass over the rows (plus a sort when they are not
    already in person/day order) and a few dozen batched 4x4 inversions at
    most; no Python loop over people.
    """
    st = pair_statistics(person_idx, day, mood, closeness)
    return _fit_from_stats(st, pooling=pooling, population=population, level=level, bias_correction=bias_correction)


def _day_numbers(days: Sequence[Any] | ArrayLike) -> NDArray[np.int64]:
    seq: Any = days if isinstance(days, np.ndarray) else list(days)  # type: ignore[arg-type]
    if isinstance(seq, list) and seq and isinstance(seq[0], date):
        return np.array([d.toordinal() for d in seq], dtype=np.int64)
    return np.asarray(seq, dtype=np.int64)


def fit_person_loop(
    days: Sequence[date] | ArrayLike,
    mood: ArrayLike,
    closeness: ArrayLike,
    population: LoopPopulation | None = None,
    *,
    level: float = 0.90,
    bias_correction: bool = True,
) -> PersonLoop:
    """Fit the loop for one person's diary.

    Parameters
    ----------
    days : sequence of datetime.date, or array_like of int
        The person's local dates (or day numbers), any order, one per row.
    mood, closeness : array_like of float
        Answers 0-10, NaN (or None) when missing.
    population : LoopPopulation, optional
        Prior from a population fit.  Without it the built-in weakly
        informative :data:`DEFAULT_POPULATION` is used (cross effects centred
        on zero), so a short diary shows wide intervals around small values.
    level : float, default 0.90
    bias_correction : bool, default True
        See :func:`fit_loop`.

    Returns
    -------
    PersonLoop
    """
    d = _day_numbers(days)
    m = np.asarray(mood, dtype=float)
    c = np.asarray(closeness, dtype=float)
    prior = population if population is not None else DEFAULT_POPULATION
    st = pair_statistics(np.zeros(d.shape[0], dtype=np.int64), d, m, c)
    if st.n_people == 0:
        st = PairStats(
            np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros((1, 2, 2)),
            np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), np.full((1, 2), np.nan), np.full((1, 2), np.nan),
            np.zeros(1, np.int64),
        )
    fit = _fit_from_stats(st, pooling=True, population=prior, level=level, bias_correction=bias_correction)
    n_pairs = int(fit.n_pairs[0])

    def est(j: int) -> Estimate:
        return Estimate(float(fit.coef[0, j]), float(fit.low[0, j]), float(fit.high[0, j]))

    return PersonLoop(
        n_pairs=n_pairs,
        n_days=int(fit.n_days[0]),
        enough_data=n_pairs >= MIN_PAIRS_FOR_LOOP,
        pairs_needed=max(0, MIN_PAIRS_FOR_LOOP - n_pairs),
        mood_inertia=est(0),
        closeness_to_mood=est(1),
        mood_to_closeness=est(2),
        closeness_inertia=est(3),
        singular=bool(fit.singular[0]),
        prior=PriorSource.SUPPLIED if population is not None else PriorSource.DEFAULT,
        level=level,
    )
