"""Gap-aware pairing of diary days and per-person least squares for the loop.

This module turns long-format diary arrays (one row per person and day) into
per-person sufficient statistics of the lag-1 bivariate model::

    mood_t      = a_m + b_mm * mood_{t-1} + b_mc * closeness_{t-1} + e_m
    closeness_t = a_c + b_cm * mood_{t-1} + b_cc * closeness_{t-1} + e_c

Only pairs of consecutive days (day ``t`` and day ``t - 1`` both present, with
both answers on both days) enter the statistics; a missed day breaks the chain
and is never bridged.  Everything is vectorised across people: the statistics
are accumulated with :func:`numpy.bincount`, so the cost is a sort plus a few
linear passes over the rows, whatever the number of people.

The per-person ordinary least squares fit here is the "no pooling" baseline
that :mod:`nearer.analysis.loop` improves on; it equals statsmodels OLS on the
consecutive-pair design of each person.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "COEF_NAMES",
    "OlsLoop",
    "PairStats",
    "fit_ols_loop",
    "ols_from_stats",
    "pair_statistics",
]

#: Order of the coefficient vector used everywhere in ``analysis``: the rows of
#: the 2x2 lag matrix ``B`` stacked (mood equation first, then closeness).
COEF_NAMES: tuple[str, str, str, str] = (
    "mood_inertia",  # b_mm: mood_{t-1} -> mood_t
    "closeness_to_mood",  # b_mc: closeness_{t-1} -> mood_t
    "mood_to_closeness",  # b_cm: mood_{t-1} -> closeness_t
    "closeness_inertia",  # b_cc: closeness_{t-1} -> closeness_t
)

# Relative tolerance for calling a person's centred X'X rank-deficient
# (e.g. a constant series).  Scaled by the largest singular value.
_RANK_RTOL = 1e-10

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class PairStats:
    """Per-person sufficient statistics of the consecutive-day pairs.

    All cross-products are centred within person (person means of the lagged
    predictors and of the outcomes over that person's pairs), which is the
    same as giving every person their own two intercepts.

    Attributes
    ----------
    person_ids : ndarray of int, shape (n_people,)
        Sorted unique person indices found in the input (every person that
        appears at least once, even with no usable pair).
    n_pairs : ndarray of int, shape (n_people,)
        Number of consecutive-day pairs with all four values present.
    n_days : ndarray of int, shape (n_people,)
        Number of days with both answers present.
    xx : ndarray, shape (n_people, 2, 2)
        Centred ``X'X`` of the lagged predictors (mood_{t-1}, closeness_{t-1}).
    xy : ndarray, shape (n_people, 2, 2)
        Centred ``Y'X``: ``xy[i, e, p]`` is the sum over pairs of outcome ``e``
        (0 mood, 1 closeness) times predictor ``p``.
    yy : ndarray, shape (n_people, 2, 2)
        Centred ``Y'Y`` of the outcomes.
    x_mean, y_mean : ndarray, shape (n_people, 2)
        Person means over pairs (NaN for people without pairs).
    n_chains : ndarray of int, shape (n_people,)
        Number of unbroken runs of consecutive pairs (a missed day starts a
        new run).  Used by the pooled fit's small-sample bias correction.
    """

    person_ids: IntArray
    n_pairs: IntArray
    n_days: IntArray
    xx: FloatArray
    xy: FloatArray
    yy: FloatArray
    x_mean: FloatArray
    y_mean: FloatArray
    n_chains: IntArray

    @property
    def n_people(self) -> int:
        return int(self.person_ids.shape[0])


@dataclass(frozen=True)
class OlsLoop:
    """Per-person least squares of the lag-1 model (no pooling).

    Attributes
    ----------
    person_ids : ndarray of int, shape (n_people,)
    n_pairs : ndarray of int, shape (n_people,)
    coef : ndarray, shape (n_people, 4)
        Coefficients in :data:`COEF_NAMES` order.  For a rank-deficient person
        (constant series) this is the minimum-norm solution (pseudo-inverse).
        NaN for people without any pair.
    se : ndarray, shape (n_people, 4)
        Classical OLS standard errors; NaN when there are no residual degrees
        of freedom (``n_pairs <= rank + 1``) or the coefficient is not
        identified.
    low, high : ndarray, shape (n_people, 4)
        Two-sided t interval at ``level`` with ``n_pairs - rank - 1`` degrees
        of freedom (NaN where ``se`` is NaN).
    resid_cov : ndarray, shape (n_people, 2, 2)
        Residual cross-product matrix divided by the residual degrees of
        freedom (NaN when there are none).
    resid_ss : ndarray, shape (n_people, 2, 2)
        Residual cross-product matrix (sums of squares), always finite.
    dof : ndarray of int, shape (n_people,)
        Residual degrees of freedom ``n_pairs - rank - 1`` (0 when negative).
    rank : ndarray of int, shape (n_people,)
        Numerical rank of the centred ``X'X`` (2 when all is well).
    level : float
        Interval level.
    """

    person_ids: IntArray
    n_pairs: IntArray
    coef: FloatArray
    se: FloatArray
    low: FloatArray
    high: FloatArray
    resid_cov: FloatArray
    resid_ss: FloatArray
    dof: IntArray
    rank: IntArray
    level: float

    @property
    def singular(self) -> NDArray[np.bool_]:
        """True where the person has pairs but their predictors are collinear or constant."""
        return (self.n_pairs > 0) & (self.rank < 2)


def _as_1d(name: str, values: ArrayLike, dtype: type) -> NDArray:
    """A one-dimensional array; integer or floating input is kept in its own dtype (no copy)."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if dtype is np.float64:
        return arr if arr.dtype.kind == "f" else arr.astype(np.float64)
    if arr.dtype.kind in "iu":
        return arr
    if arr.size == 0:
        return arr.astype(np.int64)
    as_int = arr.astype(np.int64)
    if not np.array_equal(as_int, arr):
        raise ValueError(f"{name} must hold whole numbers")
    return as_int


def _person_codes(person_idx: NDArray) -> tuple[IntArray, IntArray]:
    """Map person indices to 0..n-1 in sorted order, cheaply when they are already compact."""
    if person_idx.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    person_idx = person_idx.astype(np.int64, copy=False)
    lo, hi = int(person_idx.min()), int(person_idx.max())
    if hi - lo <= 4 * person_idx.size + 1024:
        # Dense range: a bincount-based lookup avoids a full sort of the ids.
        present = np.bincount(person_idx - lo, minlength=hi - lo + 1) > 0
        lookup = np.cumsum(present) - 1
        ids = np.flatnonzero(present).astype(np.int64) + lo
        return ids, lookup[person_idx - lo].astype(np.int64, copy=False)
    uniq: tuple[NDArray, NDArray] = np.unique(person_idx, return_inverse=True)
    return uniq[0].astype(np.int64), uniq[1].astype(np.int64)


#: Rows per chunk of the products and sums of the sufficient-statistics pass.
#: Small enough that a chunk's temporaries stay in the CPU cache, large
#: enough that numpy's per-call overhead is negligible.
_CHUNK_ROWS = 1 << 13

#: Rows per span for the pairing masks (one-byte flags, computed for a whole
#: span at once to save numpy calls).  Memory stays flat whatever the number
#: of rows: about 30 bytes per span row.
_SPAN_ROWS = 1 << 15

#: Answers are shifted by this before raw sums are taken (the middle of the
#: 0-10 scale), so that centring by ``S_ab - S_a S_b / n`` loses at most a
#: digit or so; with whole-number answers every sum is exact anyway.
_SHIFT = 5.0

#: A centred sum of squares at most this fraction of the raw (shifted) one is
#: rounding noise around a constant series and is set to exactly zero.
_CONST_RTOL = 1e-12

# Rows of the per-person raw sums (u = mood - shift, v = closeness - shift;
# 0 = the earlier day of a pair, 1 = the later day).  The ten products are
# written by four broadcast multiplies, in this order: u0*(u0, v0, u1, v1),
# v0*(v0, u1, v1), u1*(u1, v1), v1*v1.
_N_PAIRS, _N_DAYS, _N_LINKS, _U0, _V0, _U1, _V1 = range(7)
_U0U0, _U0V0, _U1U0, _V1U0, _V0V0, _U1V0, _V1V0, _U1U1, _U1V1, _V1V1 = range(7, 17)
_N_SUMS = 17

#: Packing unit of the link count (see :func:`_span_sums`); chunks are kept
#: shorter than this.
_LINK_UNIT = float(1 << 20)


class _Workspace:
    """Scratch arrays for :func:`_span_sums`, allocated once per call and reused for every span."""

    def __init__(self, span: int, chunk: int) -> None:
        size = span + 1
        # new_run[0] is always True (a span starts a run); new_run[j + 1] is
        # True when row j + 1 belongs to another person than row j.
        self.new_run = np.empty(size, np.bool_)
        self.new_run[0] = True
        self.seg = np.empty(size, np.bool_)
        self.flag = np.empty(size, np.bool_)
        # pair[0] carries the last pair flag of the previous span; pair[j + 1]
        # is True when rows j and j + 1 of this span form a pair.
        self.pair = np.empty(size, np.bool_)
        self.link = np.empty(size, np.bool_)
        self.fm = np.empty(size, np.bool_)
        self.fc = np.empty(size, np.bool_)
        self.dd = np.empty(size, np.int64)
        self.uv = np.empty((2, size))
        # One row per summed value for a chunk of rows (see _span_sums).
        self.terms = np.empty((_N_SUMS - _U0 + 2) * chunk)


def _span_sums(
    p: NDArray, d: NDArray, m: NDArray, c: NDArray, n_rows: int, chunk: int, ws: _Workspace, carry: bool
) -> tuple[NDArray, NDArray, bool] | None:
    """Raw per-person sums over one span of rows sorted by person then day.

    ``p, d, m, c`` hold the span's ``n_rows`` rows plus one look-ahead row
    (the first row of the next span, or a sentinel after the last row).  Row
    ``j`` stands for the pair (row ``j``, row ``j + 1``): the earlier day is
    "0", the later "1".  ``carry`` says whether the last row of the previous
    span and the first row of this one form a pair (for counting the links
    between consecutive pairs).

    The pairing masks are computed for the whole span at once (a few passes
    over one-byte flags); the products and sums then go ``chunk`` rows at a
    time, so their temporaries stay in the CPU cache.  Returns the person id
    of each segment (a run of one person's rows within one chunk; a person
    can have several, merged later), a ``(_N_SUMS, n_segments)`` array of
    sums and the carry for the next span; None when the rows are not strictly
    sorted by (person, day) (unsorted input or a duplicate day).
    """
    k = n_rows
    new_run = ws.new_run[: k + 1]
    to_next = new_run[1:]  # row j + 1 is another person than row j
    np.not_equal(p[1:], p[:-1], out=to_next)
    dd = ws.dd[:k]
    np.subtract(d[1:], d[:-1], out=dd)
    flag = ws.flag[:k]
    np.less_equal(dd, 0, out=flag)
    np.greater(flag, to_next, out=flag)  # same person and the day does not move forward
    if flag.any():
        return None
    # Segments: runs of one person, also cut at every chunk boundary.
    seg = ws.seg[:k]
    np.copyto(seg, new_run[:k])
    seg[::chunk] = True
    seg_starts = np.flatnonzero(seg)
    seg_ids = p[seg_starts]
    if seg_ids.shape[0] > 1 and not np.all(seg_ids[1:] >= seg_ids[:-1]):
        return None  # a person reappears after another one
    fm, fc = ws.fm[: k + 1], ws.fc[: k + 1]
    np.isfinite(m, out=fm)
    np.isfinite(c, out=fc)
    fm &= fc  # the day has both answers
    # Row j starts a pair: the same person's next calendar day, both days complete.
    pair_buf = ws.pair[: k + 1]
    pair_buf[0] = carry
    pair = pair_buf[1:]
    np.equal(dd, 1, out=pair)
    np.greater(pair, to_next, out=pair)  # and not another person
    pair &= fm[1:]
    pair &= fm[:-1]
    # A link: the pair ending on a day and the pair starting on it both exist.
    link = ws.link[:k]
    np.logical_and(pair_buf[:-1], pair, out=link)
    uv = ws.uv[:, : k + 1]
    np.subtract(m, _SHIFT, out=uv[0])
    np.subtract(c, _SHIFT, out=uv[1])
    if not fm.all():
        np.logical_not(fm, out=fc)
        np.copyto(uv, 0.0, where=fc)  # NaN never reaches a sum (NaN * 0 would be NaN)

    # Sums chunk by chunk.  Row 0 of t is the pair flag (the pair count, and
    # the mask of every other row); row 1 packs the answered-day and link
    # flags as day + link * 2^20, exact in a float sum because a segment
    # never has 2^20 rows (it lies within one chunk); rows 2 onwards are the
    # sums from _U0 on, in order.
    out = np.empty((_N_SUMS, seg_starts.shape[0]))
    packed = np.empty((2, seg_starts.shape[0]))
    cuts = np.searchsorted(seg_starts, np.arange(0, k + chunk, chunk)).tolist()
    for j, a in enumerate(range(0, k, chunk)):
        b = min(a + chunk, k)
        t = ws.terms[: (_N_SUMS - _U0 + 2) * (b - a)].reshape(_N_SUMS - _U0 + 2, b - a)
        w = t[0]
        np.copyto(w, pair[a:b])
        np.multiply(link[a:b], _LINK_UNIT, out=t[1])
        t[1] += fm[a:b]
        x = t[2:]
        np.multiply(uv[:, a:b], w, out=x[0:2])  # u0, v0
        np.multiply(uv[:, a + 1 : b + 1], w, out=x[2:4])  # u1, v1
        np.multiply(x[0], x[0:4], out=x[_U0U0 - _U0 : _V1U0 - _U0 + 1])
        np.multiply(x[1], x[1:4], out=x[_V0V0 - _U0 : _V1V0 - _U0 + 1])
        np.multiply(x[2], x[2:4], out=x[_U1U1 - _U0 : _U1V1 - _U0 + 1])
        np.multiply(x[3], x[3], out=x[_V1V1 - _U0])
        s0, s1 = cuts[j], cuts[j + 1]
        starts = seg_starts[s0:s1] - a
        np.add.reduceat(t[:2], starts, axis=1, out=packed[:, s0:s1])
        np.add.reduceat(x, starts, axis=1, out=out[_U0:, s0:s1])
    out[_N_PAIRS] = packed[0]
    np.floor_divide(packed[1], _LINK_UNIT, out=out[_N_LINKS])
    np.subtract(packed[1], out[_N_LINKS] * _LINK_UNIT, out=out[_N_DAYS])
    return seg_ids, out, bool(pair[k - 1])


def _raw_sums(p: NDArray, d: NDArray, m: NDArray, c: NDArray) -> tuple[NDArray, NDArray] | None:
    """Per-person raw sums over rows sorted by (person, day), span by span; None if not sorted."""
    n = p.shape[0]
    chunk = max(1, min(_CHUNK_ROWS, n, int(_LINK_UNIT) - 1))
    span = min(n, max(chunk, _SPAN_ROWS // chunk * chunk))  # a whole number of chunks
    ws = _Workspace(span, chunk)
    ids: list[NDArray] = []
    sums: list[NDArray] = []
    carry = False
    for r0 in range(0, n, span):
        r1 = min(r0 + span, n)
        if r1 < n:
            part = (p[r0 : r1 + 1], d[r0 : r1 + 1], m[r0 : r1 + 1], c[r0 : r1 + 1])
        else:
            # Sentinel after the last row: same person, next day, no answers.
            part = (
                np.concatenate((p[r0:], p[-1:])),
                np.concatenate((d[r0:], d[-1:] + 1)),
                np.concatenate((m[r0:], [np.nan])),
                np.concatenate((c[r0:], [np.nan])),
            )
        res = _span_sums(*part, n_rows=r1 - r0, chunk=chunk, ws=ws, carry=carry)
        if res is None:
            return None
        ids.append(res[0])
        sums.append(res[1])
        carry = res[2]
    all_ids = np.concatenate(ids) if len(ids) > 1 else ids[0]
    all_sums = np.concatenate(sums, axis=1) if len(sums) > 1 else sums[0]
    if all_ids.shape[0] > 1:
        step = all_ids[1:] != all_ids[:-1]
        if not np.all(all_ids[1:] >= all_ids[:-1]):
            return None  # a person reappears after another one: not sorted
        if not step.all():
            # A person whose rows cross chunk or span boundaries has several
            # segments: add the later ones into the first and drop them.
            first = np.concatenate(([True], step))
            group_first = np.flatnonzero(first)
            later = np.flatnonzero(step == 0) + 1
            target = group_first[np.cumsum(first)[later] - 1]
            np.add.at(all_sums.T, target, all_sums.T[later])
            all_ids = all_ids[group_first]
            all_sums = all_sums[:, group_first]
    return all_ids.astype(np.int64, copy=False), all_sums


def _sorted_copy(p: NDArray, d: NDArray, m: NDArray, c: NDArray) -> tuple[IntArray, NDArray, NDArray, NDArray, IntArray]:
    """Rows sorted by (person, day) with persons coded 0..n-1; raises on a duplicate person/day."""
    ids, codes = _person_codes(p)
    n_people = ids.shape[0]
    d64 = d.astype(np.int64, copy=False)
    d0 = int(d64.min())
    span = int(d64.max()) - d0 + 2
    if n_people * span >= 2**62:
        raise ValueError("day numbers span too wide a range")
    key = codes * span + (d64 - d0)
    order = np.argsort(key, kind="stable")
    key = key[order]
    dup = np.flatnonzero(key[1:] == key[:-1])
    if dup.size:
        raise ValueError(f"{dup.size} duplicate person/day row(s): each person may have one row per day")
    return codes[order], d64[order], m[order], c[order], ids


def _stats_from_sums(ids: IntArray, s: NDArray) -> PairStats:
    n_pairs = s[_N_PAIRS].astype(np.int64)
    n_days = s[_N_DAYS].astype(np.int64)
    n_chains = n_pairs - s[_N_LINKS].astype(np.int64)
    inv_n = 1.0 / np.maximum(s[_N_PAIRS], 1.0)
    n_people = ids.shape[0]

    def centred(ab: int, a: int, b: int) -> NDArray:
        return s[ab] - s[a] * s[b] * inv_n

    xx = np.empty((n_people, 2, 2))
    xy = np.empty((n_people, 2, 2))
    yy = np.empty((n_people, 2, 2))
    xx[:, 0, 0] = centred(_U0U0, _U0, _U0)
    xx[:, 1, 1] = centred(_V0V0, _V0, _V0)
    xx[:, 0, 1] = centred(_U0V0, _U0, _V0)
    xy[:, 0, 0] = centred(_U1U0, _U1, _U0)
    xy[:, 0, 1] = centred(_U1V0, _U1, _V0)
    xy[:, 1, 0] = centred(_V1U0, _V1, _U0)
    xy[:, 1, 1] = centred(_V1V0, _V1, _V0)
    yy[:, 0, 0] = centred(_U1U1, _U1, _U1)
    yy[:, 1, 1] = centred(_V1V1, _V1, _V1)
    yy[:, 0, 1] = centred(_U1V1, _U1, _V1)
    # A constant predictor leaves only rounding noise after centring (answers
    # with decimals): make it exactly zero so the person is flagged singular.
    for k, raw in ((0, _U0U0), (1, _V0V0)):
        const = xx[:, k, k] <= _CONST_RTOL * s[raw]
        if const.any():
            xx[const, k, :] = 0.0
            xx[const, :, k] = 0.0
            xy[const, :, k] = 0.0
    for k, raw in ((0, _U1U1), (1, _V1V1)):
        const = yy[:, k, k] <= _CONST_RTOL * s[raw]
        if const.any():
            yy[const, k, :] = 0.0
            yy[const, :, k] = 0.0
            xy[const, k, :] = 0.0
    xx[:, 1, 0] = xx[:, 0, 1]
    yy[:, 1, 0] = yy[:, 0, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = s[_U0 : _V1 + 1] / s[_N_PAIRS] + _SHIFT
    x_mean = np.ascontiguousarray(means[:2].T)
    y_mean = np.ascontiguousarray(means[2:].T)
    return PairStats(ids, n_pairs, n_days, xx, xy, yy, x_mean, y_mean, n_chains)


def pair_statistics(
    person_idx: ArrayLike,
    day: ArrayLike,
    mood: ArrayLike,
    closeness: ArrayLike,
) -> PairStats:
    """Find consecutive-day pairs and accumulate per-person sufficient statistics.

    Parameters
    ----------
    person_idx : array_like of int, shape (n_rows,)
        Person identifier of each row (any integers; need not be sorted).
    day : array_like of int, shape (n_rows,)
        Local day number of each row, e.g. ``date.toordinal()``.
    mood, closeness : array_like of float, shape (n_rows,)
        Answers (0-10).  NaN marks a missing answer; a day missing either
        answer does not count for the loop and breaks the chain.

    Returns
    -------
    PairStats

    Raises
    ------
    ValueError
        If the arrays differ in length, or one person has two rows for the
        same day (the caller must decide which one is right).

    Notes
    -----
    Rows already sorted by person then day (as a database query or the
    simulator gives them) are read in place, span by span, with no copy of
    the input and without converting integer or float32 columns; the
    scratch arrays are sized by the span, so memory does not grow with the
    number of rows.  Other input is sorted once first.
    """
    p = _as_1d("person_idx", person_idx, np.int64)
    d = _as_1d("day", day, np.int64)
    m = _as_1d("mood", mood, np.float64)
    c = _as_1d("closeness", closeness, np.float64)
    n = p.shape[0]
    if not (d.shape[0] == m.shape[0] == c.shape[0] == n):
        raise ValueError("person_idx, day, mood and closeness must have the same length")
    if n == 0:
        empty2 = np.zeros((0, 2, 2))
        return PairStats(
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), empty2, empty2.copy(),
            empty2.copy(), np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0, np.int64),
        )
    res = _raw_sums(p, d, m, c)
    if res is not None:
        return _stats_from_sums(*res)
    codes, d_s, m_s, c_s, ids = _sorted_copy(p, d, m, c)
    res = _raw_sums(codes, d_s, m_s, c_s)
    if res is None:  # pragma: no cover - sorted and free of duplicates by construction
        raise RuntimeError("sorting the diary rows failed")
    return _stats_from_sums(ids, res[1])


def _pinv_2x2(xx: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
    """Pseudo-inverse entries (00, 01, 11) and numerical rank of symmetric PSD 2x2 matrices.

    Closed form of what an SVD gives: eigenvalues ``lmax = tr/2 + sqrt(((a-d)/2)^2 + b^2)``
    and ``lmin = det/lmax``; an eigenvalue counts when it exceeds
    ``_RANK_RTOL * lmax``.  Rank 1 uses ``v v' / lmax = (M - lmin I) / ((lmax - lmin) lmax)``.
    (``np.hypot`` would guard against overflow beyond 1e154, which sums of
    squared answers never reach, at ten times the cost.)
    """
    a, b, d = xx[:, 0, 0], xx[:, 0, 1], xx[:, 1, 1]
    half_gap = 0.5 * (a - d)
    lmax = 0.5 * (a + d) + np.sqrt(half_gap * half_gap + b * b)
    det = a * d - b * b
    pos = lmax > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        lmin = np.where(pos, det / np.where(pos, lmax, 1.0), 0.0)
        rank = pos.astype(np.int64) + (pos & (np.abs(lmin) > _RANK_RTOL * lmax))
        full = rank == 2
        one = rank == 1
        inv_det = 1.0 / np.where(full, det, 1.0)
        scale = 1.0 / np.where(one, (lmax - lmin) * lmax, 1.0)
    p00 = np.where(full, d * inv_det, np.where(one, (a - lmin) * scale, 0.0))
    p01 = np.where(full, -b * inv_det, np.where(one, b * scale, 0.0))
    p11 = np.where(full, a * inv_det, np.where(one, (d - lmin) * scale, 0.0))
    return p00, p01, p11, rank


#: Above this many degrees of freedom the t quantile comes from its Cornish-Fisher expansion in
#: 1/dof (four terms; relative error below 1e-11 from 300 dof for quantiles up to 0.9995); at or
#: below it, from the exact finite series of the t distribution for whole dof (its cost grows
#: with dof squared: about 25 ms for every dof up to 300).
_T_SERIES_MAX_DOF = 300


def _t_quantile_exact(q: float, dof: IntArray) -> FloatArray:
    """Quantile ``q`` (> 0.5) of Student's t for whole ``dof`` >= 1: Newton on the exact distribution.

    With ``theta = arctan(t / sqrt(dof))``, ``P(|T| <= t)`` is a finite series in ``cos(theta)^2``
    (Abramowitz and Stegun 26.7.3 and 26.7.4)::

        odd dof:  (2 / pi) (theta + sin cos (1 + 2/3 cos^2 + (2 4)/(3 5) cos^4 + ...)), (dof - 3) / 2 terms after 1
        even dof: sin (1 + 1/2 cos^2 + (1 3)/(2 4) cos^4 + ...), (dof - 2) / 2 terms after 1

    and its derivative in theta is ``2 Gamma((dof + 1) / 2) / (sqrt(pi) Gamma(dof / 2)) cos^(dof - 1)``.
    """
    from statistics import NormalDist

    target = 2.0 * q - 1.0
    nu = dof.astype(float)
    odd = dof % 2 == 1
    n_terms = np.maximum(np.where(odd, (dof - 3) // 2, (dof - 2) // 2), 0)
    k = np.arange(1, int(n_terms.max(initial=0)) + 1, dtype=float)
    ratio = np.where(odd[:, None], (2 * k) / (2 * k + 1), (2 * k - 1) / (2 * k))
    ratio[k[None, :] > n_terms[:, None]] = 0.0  # the product, so every later term, is then 0
    log_c = np.log(2.0) - 0.5 * np.log(np.pi) + np.array([math.lgamma((v + 1) / 2) - math.lgamma(v / 2) for v in nu])
    x = NormalDist().inv_cdf(q)
    theta = np.arctan(np.maximum(_t_cornish_fisher(x, nu), x) / np.sqrt(nu))
    for _ in range(50):
        s, c = np.sin(theta), np.cos(theta)
        total = 1.0 + np.cumprod(ratio * (c * c)[:, None], axis=1).sum(axis=1)
        central = np.where(odd, np.where(dof == 1, 2 * theta / np.pi, (2 / np.pi) * (theta + s * c * total)), s * total)
        step = (central - target) / np.exp(log_c + (nu - 1) * np.log(c))
        theta = np.clip(theta - step, 1e-300, np.pi / 2 - 1e-15)
        if np.all(np.abs(step) <= 1e-15 * np.maximum(theta, 1.0)):
            break
    return np.tan(theta) * np.sqrt(nu)


def _t_cornish_fisher(x: float, nu: FloatArray) -> FloatArray:
    """Cornish-Fisher expansion of the t quantile around the normal one ``x`` (A and S 26.7.5)."""
    g1 = (x**3 + x) / 4
    g2 = (5 * x**5 + 16 * x**3 + 3 * x) / 96
    g3 = (3 * x**7 + 19 * x**5 + 17 * x**3 - 15 * x) / 384
    g4 = (79 * x**9 + 776 * x**7 + 1482 * x**5 - 1920 * x**3 - 945 * x) / 92160
    inv = 1.0 / nu
    return x + inv * (g1 + inv * (g2 + inv * (g3 + inv * g4)))


def t_quantile(q: float, dof: ArrayLike) -> FloatArray:
    """Student t quantile ``q`` (0 < q < 1) for whole degrees of freedom (NaN where dof <= 0).

    Equal to ``scipy.stats.t.ppf(q, dof)`` to about 1e-10 relative (tested), without importing
    scipy: that import (about 0.2 s) was the largest single cost of ``nearer loop fit`` as a
    whole process.
    """
    from statistics import NormalDist

    dof_arr = np.asarray(dof, dtype=np.int64)
    out = np.full(dof_arr.shape, np.nan)
    if not 0.0 < q < 1.0:
        raise ValueError("q must be between 0 and 1")
    if q == 0.5:
        out[dof_arr > 0] = 0.0
        return out
    upper = max(q, 1.0 - q)
    sign = 1.0 if q > 0.5 else -1.0
    small = (dof_arr > 0) & (dof_arr <= _T_SERIES_MAX_DOF)
    large = dof_arr > _T_SERIES_MAX_DOF
    if small.any():
        out[small] = sign * _t_quantile_exact(upper, dof_arr[small])
    if large.any():
        out[large] = sign * _t_cornish_fisher(NormalDist().inv_cdf(upper), dof_arr[large].astype(float))
    return out


def _t_quantile(q: float, dof: IntArray) -> FloatArray:
    """Student t quantile for each residual dof (NaN where dof is 0), computed once per distinct dof."""
    if dof.size == 0:
        return np.zeros(0)
    # dof are small non-negative integers: a lookup table indexed by dof
    # avoids sorting them (np.unique) when there are many people.
    present = np.flatnonzero(np.bincount(dof))
    table = np.full(int(present[-1]) + 1, np.nan)
    positive = present[present > 0]
    if positive.size:
        table[positive] = t_quantile(q, positive)
    return table[dof]


def ols_from_stats(st: PairStats, level: float = 0.90) -> OlsLoop:
    """Per-person least squares from :class:`PairStats` (vectorised across people).

    Parameters
    ----------
    st : PairStats
    level : float, default 0.90
        Two-sided interval level.

    Returns
    -------
    OlsLoop
    """
    n = st.n_people
    p00, p01, p11, rank = _pinv_2x2(st.xx)
    xy = st.xy
    # B[i] (2 equations x 2 predictors) = Y'X (X'X)^+ ; coef = rows of B stacked.
    coef = np.empty((n, 4))
    for e in range(2):
        coef[:, 2 * e] = xy[:, e, 0] * p00 + xy[:, e, 1] * p01
        coef[:, 2 * e + 1] = xy[:, e, 0] * p01 + xy[:, e, 1] * p11
    resid_ss = np.empty((n, 2, 2))
    for e, f in ((0, 0), (0, 1), (1, 1)):
        resid_ss[:, e, f] = st.yy[:, e, f] - (coef[:, 2 * e] * xy[:, f, 0] + coef[:, 2 * e + 1] * xy[:, f, 1])
    resid_ss[:, 1, 0] = resid_ss[:, 0, 1]
    # Guard against tiny negative values from cancellation on near-perfect fits.
    np.maximum(resid_ss[:, 0, 0], 0.0, out=resid_ss[:, 0, 0])
    np.maximum(resid_ss[:, 1, 1], 0.0, out=resid_ss[:, 1, 1])
    dof = np.maximum(st.n_pairs - rank - 1, 0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        inv_dof = np.where(dof > 0, 1.0 / np.maximum(dof, 1), np.nan)
    resid_cov = resid_ss * inv_dof[:, None, None]
    # With collinear or constant predictors the individual coefficients are not
    # identified: the minimum-norm solution is reported, without an interval.
    se = np.empty((n, 4))
    with np.errstate(invalid="ignore"):
        for e in range(2):
            np.sqrt(resid_cov[:, e, e] * p00, out=se[:, 2 * e])
            np.sqrt(resid_cov[:, e, e] * p11, out=se[:, 2 * e + 1])
    not_ok = rank < 2
    if not_ok.any():
        se[not_ok] = np.nan
    no_pairs = st.n_pairs == 0
    if no_pairs.any():
        coef[no_pairs] = np.nan
    q = _t_quantile(0.5 + level / 2.0, dof)
    half = se * q[:, None]
    return OlsLoop(
        person_ids=st.person_ids,
        n_pairs=st.n_pairs,
        coef=coef,
        se=se,
        low=coef - half,
        high=coef + half,
        resid_cov=resid_cov,
        resid_ss=resid_ss,
        dof=dof,
        rank=rank,
        level=level,
    )


def fit_ols_loop(
    person_idx: ArrayLike,
    day: ArrayLike,
    mood: ArrayLike,
    closeness: ArrayLike,
    level: float = 0.90,
) -> OlsLoop:
    """Per-person gap-aware least squares of the lag-1 model (the no-pooling baseline).

    Parameters
    ----------
    person_idx, day, mood, closeness : array_like, shape (n_rows,)
        See :func:`pair_statistics`.
    level : float, default 0.90
        Two-sided interval level.

    Returns
    -------
    OlsLoop
        One row per person, in sorted order of ``person_idx``.

    Examples
    --------
    >>> import numpy as np
    >>> fit = fit_ols_loop([0, 0, 0, 0], [1, 2, 3, 4], [3, 4, 6, 5], [5, 7, 6, 6])
    >>> fit.n_pairs.tolist()
    [3]
    """
    return ols_from_stats(pair_statistics(person_idx, day, mood, closeness), level=level)
