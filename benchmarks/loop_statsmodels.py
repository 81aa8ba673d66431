"""The statsmodels reference for ``benchmarks/loop_fit.py --whole``: the loop as a per-person
statsmodels loop fits it, as one whole process from diary CSV to per-person estimates.

Usage: python benchmarks/loop_statsmodels.py DIARY.csv ESTIMATES.csv

pandas reads the file; each person's consecutive-day pairs (both answers on both days) get two
OLS fits with an intercept (mood and closeness on yesterday's mood and closeness); people with
fewer than 4 pairs are left out. Output columns as benchmarks/loop_lme4.R writes them.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm


def main(src: str, dest: str) -> None:
    d = pd.read_csv(src, dtype={"person_id": str})
    d["day"] = pd.to_datetime(d["date"], format="%Y-%m-%d").to_numpy().astype("datetime64[D]").astype(np.int64)
    d = d.sort_values(["person_id", "day"])
    rows = []
    for pid, g in d.groupby("person_id", sort=False):
        day, m, c = g["day"].to_numpy(), g["mood"].to_numpy(float), g["closeness"].to_numpy(float)
        ok = (np.diff(day) == 1) & np.isfinite(m[1:]) & np.isfinite(c[1:]) & np.isfinite(m[:-1]) & np.isfinite(c[:-1])
        if ok.sum() < 4:
            continue
        x = sm.add_constant(np.column_stack([m[:-1][ok], c[:-1][ok]]), has_constant="add")
        bm = sm.OLS(m[1:][ok], x).fit()
        bc = sm.OLS(c[1:][ok], x).fit()
        bm.conf_int(alpha=0.10), bc.conf_int(alpha=0.10)  # what a report needs besides the estimates
        rows.append((pid, int(ok.sum()), bm.params[1], bm.params[2], bc.params[1], bc.params[2]))
    pd.DataFrame(rows, columns=["person_id", "n_pairs", "mood_inertia", "closeness_to_mood", "mood_to_closeness",
                                "closeness_inertia"]).to_csv(dest, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
