"""Simulated daily diaries with known person-level loop effects.

Used by the tests and the benchmark to check that the loop engine recovers
what was put in.  Each person follows a latent bivariate lag-1 process around
their own means::

    z_t - mu = B (z_{t-1} - mu) + e_t,   e_t ~ N(0, S)

with ``z = (mood, closeness)`` and a person-specific ``B`` drawn from a
population.  The diary records ``clip(round(z_t), 0, 10)``, as the daily
check-in does (whole-number answers from 0 to 10).  Days go missing both at
random and in blocks of several days (holidays, a bad week), which is what
makes consecutive-pair handling matter.

The default population is deliberately modest: cross effects average about
0.1 with between-person SD 0.08, in line with published daily-diary findings
that the links between closeness and mood are small and vary between people
(see ``docs/dev/analysis.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["PopulationSpec", "SimulatedDiary", "simulate_diaries"]


@dataclass(frozen=True)
class PopulationSpec:
    """How person effects, means and noise vary across simulated people.

    Coefficient order is :data:`nearer.analysis.ols.COEF_NAMES`:
    mood inertia, closeness->mood, mood->closeness, closeness inertia.
    """

    coef_mean: tuple[float, float, float, float] = (0.35, 0.10, 0.08, 0.35)
    coef_sd: tuple[float, float, float, float] = (0.15, 0.08, 0.08, 0.15)
    mean_mood: float = 5.5
    mean_closeness: float = 6.0
    sd_person_mean: float = 1.2
    resid_sd: float = 1.3  # typical day-to-day innovation SD on the 0-10 scale
    resid_sd_log_sd: float = 0.25  # people differ in how much their days vary
    resid_corr: float = 0.3  # same-day link between mood and closeness surprises
    max_spectral_radius: float = 0.9  # keep every person's process stationary


@dataclass(frozen=True)
class SimulatedDiary:
    """A simulated diary in long format plus the truth used to make it.

    Attributes
    ----------
    person_idx, day : ndarray of int, shape (n_people * n_days,)
        Person index (0..n_people-1) and day number of each row; rows are
        sorted by person then day and include missing days.
    mood, closeness : ndarray of float, shape (n_people * n_days,)
        Whole-number answers 0-10, NaN on missing days.
    true_coef : ndarray, shape (n_people, 4)
        The latent lag coefficients in ``COEF_NAMES`` order.
    true_mean : ndarray, shape (n_people, 2)
        Person means of the latent mood and closeness.
    resid_sd : ndarray, shape (n_people, 2)
        Person innovation SDs.
    """

    person_idx: NDArray[np.int64]
    day: NDArray[np.int64]
    mood: NDArray[np.floating]
    closeness: NDArray[np.floating]
    true_coef: NDArray[np.float64]
    true_mean: NDArray[np.float64]
    resid_sd: NDArray[np.float64]
    spec: PopulationSpec = field(default_factory=PopulationSpec)

    @property
    def missing_fraction(self) -> float:
        """Share of person-days with no answers."""
        return float(np.mean(np.isnan(self.mood))) if self.mood.size else 0.0

    def observed(self) -> tuple[NDArray, NDArray, NDArray, NDArray]:
        """Rows of answered days only (as an app would store them)."""
        keep = ~np.isnan(self.mood)
        return self.person_idx[keep], self.day[keep], self.mood[keep], self.closeness[keep]


def _draw_coefficients(
    rng: np.random.Generator, n: int, spec: PopulationSpec
) -> NDArray[np.float64]:
    coef = rng.normal(spec.coef_mean, spec.coef_sd, size=(n, 4))
    # Shrink any non-stationary draw towards zero until its spectral radius is acceptable.
    radius = np.max(np.abs(np.linalg.eigvals(coef.reshape(n, 2, 2))), axis=1)
    scale = np.minimum(1.0, spec.max_spectral_radius / np.maximum(radius, 1e-12))
    return coef * scale[:, None]


def simulate_diaries(
    n_people: int,
    n_days: int,
    rng: np.random.Generator,
    *,
    missing_rate: float = 0.15,
    block_share: float = 0.5,
    block_length: tuple[int, int] = (2, 7),
    start_day: int = 739_000,
    spec: PopulationSpec | None = None,
    dtype: type = np.float64,
) -> SimulatedDiary:
    """Simulate daily mood and closeness diaries with known lag effects.

    Parameters
    ----------
    n_people, n_days : int
        Size of the panel.
    rng : numpy.random.Generator
        Source of randomness (seed it for reproducible runs).
    missing_rate : float, default 0.15
        Target share of missing person-days (random plus blocks; overlaps make
        the realised share slightly lower).
    block_share : float, default 0.5
        Part of ``missing_rate`` that comes as blocks of consecutive days.
    block_length : (int, int), default (2, 7)
        Inclusive range of block lengths in days.
    start_day : int
        Day number of the first day (e.g. a ``date.toordinal()``).
    spec : PopulationSpec, optional
        Population of person effects; defaults to :class:`PopulationSpec`.
    dtype : numpy dtype, default float64
        Dtype of the answer arrays (float32 halves memory for huge runs).

    Returns
    -------
    SimulatedDiary
    """
    if n_people < 0 or n_days < 0:
        raise ValueError("n_people and n_days must be non-negative")
    spec = spec or PopulationSpec()
    coef = _draw_coefficients(rng, n_people, spec)
    b = coef.reshape(n_people, 2, 2)
    mean = np.column_stack(
        [
            np.clip(rng.normal(spec.mean_mood, spec.sd_person_mean, n_people), 1.5, 8.5),
            np.clip(rng.normal(spec.mean_closeness, spec.sd_person_mean, n_people), 1.5, 8.5),
        ]
    )
    sd = spec.resid_sd * np.exp(rng.normal(0.0, spec.resid_sd_log_sd, size=(n_people, 2)))
    r = spec.resid_corr
    chol = np.array([[1.0, 0.0], [r, np.sqrt(1.0 - r * r)]])

    def innovation() -> NDArray[np.float64]:
        return (rng.standard_normal((n_people, 2)) @ chol.T) * sd

    lo_len, hi_len = block_length
    mean_len = (lo_len + hi_len) / 2.0
    p_random = missing_rate * (1.0 - block_share)
    p_block_start = missing_rate * block_share / mean_len

    mood: NDArray[np.floating] = np.empty((n_people, n_days), dtype=dtype)
    clos: NDArray[np.floating] = np.empty((n_people, n_days), dtype=dtype)
    dev = np.zeros((n_people, 2))
    for _ in range(40):  # burn-in towards the stationary distribution
        dev = np.einsum("nij,nj->ni", b, dev) + innovation()
    block_left = np.zeros(n_people, dtype=np.int64)
    for t in range(n_days):
        dev = np.einsum("nij,nj->ni", b, dev) + innovation()
        z = np.clip(np.rint(mean + dev), 0.0, 10.0)
        starts = (block_left == 0) & (rng.random(n_people) < p_block_start)
        block_left[starts] = rng.integers(lo_len, hi_len + 1, size=int(starts.sum()))
        missing = (block_left > 0) | (rng.random(n_people) < p_random)
        block_left = np.maximum(block_left - 1, 0)
        z[missing] = np.nan
        mood[:, t] = z[:, 0]
        clos[:, t] = z[:, 1]

    person_idx = np.repeat(np.arange(n_people, dtype=np.int64), n_days)
    day = np.tile(np.arange(start_day, start_day + n_days, dtype=np.int64), n_people)
    return SimulatedDiary(
        person_idx=person_idx,
        day=day,
        mood=mood.reshape(-1),
        closeness=clos.reshape(-1),
        true_coef=coef,
        true_mean=mean,
        resid_sd=sd,
        spec=spec,
    )
