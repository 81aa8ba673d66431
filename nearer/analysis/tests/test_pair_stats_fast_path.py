"""The blocked sufficient-statistics pass and the closed-form solves agree with plain linear algebra."""

import numpy as np
import pytest

from nearer.analysis import ols
from nearer.analysis.loop import _inv_4x4_spd, fit_loop
from nearer.analysis.simulate import simulate_diaries


def _direct_stats(p, d, m, c):
    """Per-person centred cross-products computed the slow, obvious way."""
    out = {}
    for person in np.unique(p):
        sel = p == person
        dd, mm, cc = d[sel], m[sel], c[sel]
        order = np.argsort(dd)
        dd, mm, cc = dd[order], mm[order], cc[order]
        ok = (np.diff(dd) == 1) & np.isfinite(mm[1:]) & np.isfinite(cc[1:]) & np.isfinite(mm[:-1]) & np.isfinite(cc[:-1])
        x = np.column_stack([mm[:-1][ok], cc[:-1][ok]])
        y = np.column_stack([mm[1:][ok], cc[1:][ok]])
        x = x - x.mean(axis=0) if len(x) else x
        y = y - y.mean(axis=0) if len(y) else y
        # Chains: maximal runs of consecutive pairs (a pair whose predecessor is not a pair starts one).
        chains = int(np.sum(ok & ~np.concatenate(([False], ok[:-1]))))
        out[int(person)] = (int(ok.sum()), x.T @ x, y.T @ x, y.T @ y, chains)
    return out


@pytest.mark.parametrize(("chunk", "span"), [(1, 1), (2, 5), (7, 7), (7, 64), (64, 100), (1 << 14, 1 << 17)])
def test_chunk_and_span_boundaries_do_not_change_the_statistics(monkeypatch, chunk, span):
    sim = simulate_diaries(12, 30, np.random.default_rng(31))
    p, d, m, c = sim.observed()
    m = m.copy()
    m[::13] = np.nan  # days with only one answer
    monkeypatch.setattr(ols, "_CHUNK_ROWS", chunk)
    monkeypatch.setattr(ols, "_SPAN_ROWS", span)
    st = ols.pair_statistics(p, d, m, c)
    ref = _direct_stats(p, d, m, c)
    assert st.person_ids.tolist() == sorted(ref)
    for i, person in enumerate(st.person_ids):
        n, xx, xy, yy, chains = ref[int(person)]
        assert st.n_pairs[i] == n
        assert st.n_chains[i] == chains
        np.testing.assert_allclose(st.xx[i], xx, rtol=1e-12, atol=1e-10)
        np.testing.assert_allclose(st.xy[i], xy, rtol=1e-12, atol=1e-10)
        np.testing.assert_allclose(st.yy[i], yy, rtol=1e-12, atol=1e-10)
    np.testing.assert_array_equal(st.n_days, [np.sum((p == q) & np.isfinite(m) & np.isfinite(c)) for q in st.person_ids])


def test_narrow_dtypes_are_read_without_changing_the_fit():
    sim = simulate_diaries(40, 50, np.random.default_rng(32))
    p, d, m, c = sim.observed()
    wide = fit_loop(p, d, m, c)
    narrow = fit_loop(p.astype(np.int32), d.astype(np.int32), m.astype(np.float32), c.astype(np.float32))
    np.testing.assert_array_equal(narrow.person_ids, wide.person_ids)
    np.testing.assert_array_equal(narrow.n_pairs, wide.n_pairs)
    np.testing.assert_allclose(narrow.coef, wide.coef, rtol=0, atol=1e-12)
    assert not np.isnan(m).any()  # observed() keeps answered days only
    ints = fit_loop(p, d, m.astype(np.int64), c.astype(np.int64))
    np.testing.assert_allclose(ints.coef, wide.coef, rtol=0, atol=1e-12)


def test_duplicates_are_found_in_sorted_and_unsorted_input():
    with pytest.raises(ValueError, match="duplicate"):
        ols.pair_statistics([0, 0, 1, 1], [1, 2, 5, 5], [1, 2, 3, 4], [1, 2, 3, 4])
    with pytest.raises(ValueError, match="duplicate"):
        ols.pair_statistics([1, 0, 1, 0], [5, 2, 5, 1], [1, 2, 3, 4], [1, 2, 3, 4])


def test_constant_answers_with_decimals_are_flagged_singular():
    # 5.3 and 7.1 are not exact in binary: centring leaves only rounding noise,
    # which must not pass for a (huge, meaningless) least-squares slope.
    fit = ols.fit_ols_loop(np.zeros(30, int), np.arange(30), np.full(30, 5.3), np.full(30, 7.1))
    assert fit.rank.tolist() == [0]
    np.testing.assert_array_equal(fit.coef[0], np.zeros(4))
    assert np.all(np.isnan(fit.se))


def test_closed_form_pseudo_inverse_matches_numpy():
    rng = np.random.default_rng(33)
    x = rng.normal(size=(50, 30, 2))
    xx = np.einsum("nki,nkj->nij", x, x)
    xx[0] = 0.0  # rank 0
    xx[1] = np.outer([1.0, 2.0], [1.0, 2.0]) * 3.0  # rank 1
    xx[2] = [[4.0, 0.0], [0.0, 0.0]]  # rank 1, one constant predictor
    p00, p01, p11, rank = ols._pinv_2x2(xx)
    got = np.stack([np.stack([p00, p01], -1), np.stack([p01, p11], -1)], -2)
    np.testing.assert_allclose(got, np.linalg.pinv(xx, hermitian=True), rtol=1e-10, atol=1e-14)
    assert rank[:3].tolist() == [0, 1, 1] and np.all(rank[3:] == 2)


def test_block_inverse_matches_numpy():
    rng = np.random.default_rng(34)
    g = rng.normal(size=(100, 6, 4))
    a = np.einsum("nki,nkj->nij", g, g) + 0.1 * np.eye(4)
    inv = _inv_4x4_spd(np.ascontiguousarray(np.moveaxis(a, 0, -1)))
    np.testing.assert_allclose(np.moveaxis(inv, -1, 0), np.linalg.inv(a), rtol=1e-9, atol=1e-12)


def test_chains_count_runs_of_consecutive_pairs():
    # Days 1-4 (3 pairs, one chain), 6-7 (1 pair), 9 alone, 11-13 with day 12 missing closeness.
    days = [1, 2, 3, 4, 6, 7, 9, 11, 12, 13]
    mood = [5, 6, 5, 4, 6, 7, 3, 5, 5, 6]
    clos = [5, 6, 5, 4, 6, 7, 3, 5, np.nan, 6]
    st = ols.pair_statistics(np.zeros(10, int), days, mood, clos)
    assert st.n_pairs.tolist() == [4]
    assert st.n_chains.tolist() == [2]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 13])
def test_chains_are_not_split_by_chunk_boundaries(monkeypatch, chunk):
    sim = simulate_diaries(3, 60, np.random.default_rng(35))
    p, d, m, c = sim.observed()
    monkeypatch.setattr(ols, "_CHUNK_ROWS", chunk)
    monkeypatch.setattr(ols, "_SPAN_ROWS", 2 * chunk)
    st = ols.pair_statistics(p, d, m, c)
    ref = _direct_stats(p, d, m, c)
    assert st.n_chains.tolist() == [ref[k][4] for k in range(3)]
