"""Train the screener's statistical layer and write ``nearer/safety/screener_model.json``.

Run from the repository root::

    python -m nearer.safety.train            # retrain, print cross-validated figures, write the model file
    python -m nearer.safety.train --check    # the same in memory; fail if the shipped file differs
    python -m nearer.safety.train --cv       # print cross-validated figures only
    python -m nearer.safety.train --by-author  # leave one held-out round (author) out at a time

Deterministic: the corpus is read in file order, splits use fixed seeds, the solver is liblinear
(single-threaded, deterministic), and the file is written with sorted keys. Training needs
scikit-learn; the request path (``nearer.safety.model``) does not.

Corpus: ``nearer/safety/corpus/train.csv`` (see ``docs/dev/screener.md`` for its provenance) and the
labelled phrases in ``nearer/safety/tests/labelled_phrases*.csv``, the other written files (``WRITTEN``),
and held-out rounds 5 to 16 once they had been scored (``RETIRED``). The current held-out round is never read here.

Thresholds are chosen on out-of-fold predictions of a grouped, stratified 5-fold cross-validation
(near-duplicate sentences share a group so that none is scored by a model that saw its twin), per
language, recall first within a cap on false positives (see ``choose_thresholds``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import model as _model
from . import screening

HERE = Path(__file__).parent
CORPUS = HERE / "corpus" / "train.csv"
# Ours: everyday withdrawal inside a relationship (this product's core subject), which the first model
# over-read ("I keep going quiet when Alex reaches for me" came out as risk).
OWN = HERE / "corpus" / "everyday_withdrawal.csv"
# What people write in Nearer about their couple and their goals (our own; a request to a therapist,
# a good evening): the product's everyday wording, which the model must read as none.
COUPLE = HERE / "corpus" / "everyday_couple.csv"
# Ours, written for the fourth pass: everyday entries about loneliness next to a partner, grey days,
# grief, conflict, medication taken as prescribed and work, in both languages (held-out round 10 showed
# a third of such Spanish entries read as risk).
RELATIONSHIP = HERE / "corpus" / "everyday_relationship.csv"
# Ours, written for the eighth pass (2026-12-04) by a writer who never saw the screener: 400 everyday lines
# in the app's own places (check-in notes, ladder steps, an experiment's fear and outcome, present-or-past
# records, conversation notes, reflections, safety-plan lines), English and Spanish. The browser suite
# showed "Alex listened and thanked me" read as risk; 120 more by the same writer are kept out of training
# as a check (tests/everyday_app_heldout.csv).
APP = HERE / "corpus" / "everyday_app.csv"
APP_HELDOUT = HERE / "tests" / "everyday_app_heldout.csv"
# Ninth pass (2026-12-04): seven more writers, none of whom saw the screener, its rules or any other
# corpus (each read only a one-page brief of the three levels, the constructs and the app's register):
# - risk_varied: risk phrased as rule-writers would not expect, and none sentences sharing its words;
# - everyday_lookalike: hard days and lookalikes in the app's voice;
# - regional_spanish: two thirds Spanish, regional verbs and euphemisms;
# - contrast_pairs: risky and harmless sentences written as pairs that share their words;
# - voices: older writers, slang, caregivers, pharmacists, chronic pain, hunters, recovery;
# - everyday_app_fields: 699 lines typed into the app's own fields, mostly short fragments (an
#   experiment's when and where, "En el metro de vuelta el jueves"; its fear and outcome). With the five
#   files above alone, our 120 held-out app lines flagged 14 -> 26, four of them urgent;
# - everyday_worksheets: 599 answers to the worksheets that trace where closeness came to feel unsafe
#   ("That people leave"). The full browser suite showed "That people sometimes leave" read as risk
#   (P 0.38). Leaving rounds 14-16 out it cost a little on new writers' risk (at 0.18 / 0.30: risk 97.4 ->
#   97.0%, urgent 92.6 -> 91.4%, everyday 24.4 -> 25.7%, idioms 7.7 -> 9.8%) and fixed the product's own
#   register (held-out app lines 18 -> 17 flagged; worksheet answers none): kept, since every worksheet
#   user writes about people leaving.
# A file of 500 lines between the last two was tried and not kept (docs/dev/screener.md).
NINTH_PASS = tuple(
    HERE / "corpus" / f"{name}.csv"
    for name in (
        "risk_varied",
        "everyday_lookalike",
        "regional_spanish",
        "contrast_pairs",
        "voices",
        "everyday_app_fields",
        "everyday_worksheets",
    )
)
WRITTEN = (CORPUS, OWN, COUPLE, RELATIONSHIP, APP, *NINTH_PASS)
LABELLED = (HERE / "tests" / "labelled_phrases.csv", HERE / "tests" / "labelled_phrases_round3.csv")
# Held-out rounds join the training data only after they have been scored (once before and once
# after a change, figures in docs/dev/screener.md); the newest round is never read here.
RETIRED = tuple(HERE / "tests" / f"heldout_round{n}.csv" for n in range(5, 17))
# Fifth pass (2026-12-04): rounds 9 to 12 and RELATIONSHIP joined the training data. Chosen by leaving
# one round out at a time, with the false-positive caps below widened from 10% / 8% to 14% / 10% so that
# the larger, harder everyday set does not push the thresholds up: trained without round 11 and scored
# on it, risk flagged 95.2% (95.6% for the shipped model), urgent 88.4% (89.7%), everyday flagged 23.2%
# (28.0%); without round 12 and scored on it, 98.3% (97.5%), 98.6% (97.1%), 22.6% (29.8%). Together:
# the same recall, a fifth fewer everyday entries flagged. (The fourth pass had tried rounds 9 and 10
# with the old caps and lost recall on round 11: 95.2% -> 92.9%.)
# Seventh pass (2026-12-04): round 13 joined too, after it had been scored (round 14, never read: urgent
# screened urgent 121 -> 123 of 144, the rest unchanged).
# Ninth pass (2026-12-04): rounds 14 to 16 joined too (each scored once as it arrived, figures in
# docs/dev/screener.md), with the five new files above and 60,000 features instead of 20,000, chosen by
# leaving each of rounds 14, 15 and 16 out in turn (rounds never read): before this pass's files and
# features (rounds 14-16 each left out, thresholds 0.28 / 0.44) risk flagged 95.8%, urgent screened urgent
# 88.4%, everyday flagged 25.4%; as it ships (all eight files, 0.18 / 0.30) 97.0%, 91.4%, 25.7%.
# Rounds 17 and 18 (two more new authors) were scored before this pass and are the held-out check.
SEED = 20261203
N_FOLDS = 5
MIN_DF = 2
MAX_FEATURES = 60_000
C = 16.0
# The everyday constructs reported as "idioms and accidents" (target <= 10% flagged) by benchmarks/screener.py,
# --by-author and the held-out floors in the tests.
IDIOMS_AND_ACCIDENTS = frozenset({"idiom", "accident", "ordinary_height", "ordinary_medication"})
# Everyday sentences that share words with risk: the false-positive rate that matters most.
LOOKALIKE = frozenset({"idiom", "accident", "ordinary_height", "ordinary_medication", "jokes", "cooking_work"})
# Recall first, within these caps (per language, on out-of-fold predictions).
CAP_LOOKALIKE_FLAGGED = 0.10
CAP_NONE_FLAGGED = 0.14
# 0.04 since the seventh pass (0.02 before): leaving each of rounds 9 to 13 out in turn (``--by-author``),
# urgent threshold 0.72 -> 0.5 raised urgent screened urgent 92.5% -> 95.9% for 4 more of 845 everyday
# sentences read as urgent (21 -> 25).
CAP_NONE_URGENT = 0.04
CAP_CONCERN_URGENT = 0.20
# Below this the urgent head is saying "almost certainly not urgent": with rounds 9 to 12 in the training
# data the cap above alone chose 0.02, and a bare "I want to die" (urgent probability 0.022) became urgent.
# Leaving round 11 or 12 out and scoring it, a floor of 0.08 lost no urgent sentence (140/146, 138/138)
# and made fewer concern sentences urgent (32 -> 30, 17 -> 14).
MIN_URGENT_FROM_CONCERN = 0.08
# Ninth pass (2026-12-04): ceilings on the cross-validated thresholds, chosen by leaving authors out.
# Random folds put an author's other sentences in training, so they look surer than the model is on a
# new writer; with the ninth pass's 3,150 new sentences (many harmless ones sharing risk words) the caps
# above chose risk 0.37 and urgent 0.51-0.56. Leaving each of rounds 14, 15 and 16 out in turn (1,274
# sentences by three authors the model never saw; everyday_app_fields not yet in training), risk 0.37 / urgent
# 0.51 gave risk flagged 95.0%, urgent screened urgent 87.7%, everyday flagged 19.0%, idioms and
# accidents 3.8%; risk 0.20 / urgent 0.30 gave 97.4%, 91.7%, 25.2% and 8.2%. With it in training,
# 0.20 / 0.30 gave 96.9%, 91.9%, 24.3%, 7.1% and 0.18 / 0.30 gave 97.4%, 92.6%, 24.4%, 7.7%. Recall first,
# within the 10% idiom budget: 0.18 / 0.30 (with everyday_worksheets too: 97.0%, 91.4%, 25.7%, 9.8%; 0.16 would
# cross the idiom budget, 10.4%). Table in docs/dev/screener.md.
AUTHOR_CEILING = {"risk": 0.18, "urgent": 0.30}
GRID = tuple(round(x, 2) for x in np.arange(0.98, 0.015, -0.01))


@dataclass(frozen=True)
class Row:
    text: str
    language: str
    expected: str
    construct: str
    source: str


def load_corpus(paths: Sequence[Path] = (*WRITTEN, *LABELLED, *RETIRED)) -> list[Row]:
    """Rows of every training file, first occurrence of a text kept."""
    rows: list[Row] = []
    seen: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                text = r["text"].strip()
                if not text or text in seen:
                    continue
                seen.add(text)
                rows.append(Row(text, r["language"], r["expected"], r.get("construct") or "labelled", path.name))
    return rows


def near_duplicate_groups(prepared: Sequence[str], cutoff: float = 85.0) -> np.ndarray:
    """Group ids joining texts whose similarity (rapidfuzz ``ratio``) is at least ``cutoff``."""
    from rapidfuzz import fuzz, process

    n = len(prepared)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scores = process.cdist(prepared, prepared, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8, workers=1)
    ii, jj = np.nonzero(np.triu(scores, k=1))
    for i, j in zip(ii.tolist(), jj.tolist(), strict=True):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return np.asarray([find(i) for i in range(n)])


def _vectorizer():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_model.features, sublinear_tf=True, min_df=MIN_DF, max_features=MAX_FEATURES, dtype=np.float64
    )


def _head(x, y: np.ndarray, groups: np.ndarray):  # type: ignore[no-untyped-def]
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    splits = list(StratifiedGroupKFold(N_FOLDS, shuffle=True, random_state=SEED).split(x, y, groups))
    base = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=5000)
    return CalibratedClassifierCV(base, method="sigmoid", cv=splits, ensemble=False).fit(x, y)


def fit(prepared: Sequence[str], expected: Sequence[str], groups: np.ndarray):  # type: ignore[no-untyped-def]
    """Fit the vectoriser and both calibrated heads; returns ``(vectorizer, {"risk": clf, "urgent": clf})``."""
    vec = _vectorizer()
    x = vec.fit_transform(prepared)
    exp = np.asarray(expected)
    heads = {
        "risk": _head(x, (exp != "none").astype(int), groups),
        "urgent": _head(x, (exp == "urgent").astype(int), groups),
    }
    return vec, heads


def out_of_fold(prepared: Sequence[str], expected: Sequence[str], groups: np.ndarray) -> dict[str, np.ndarray]:
    """Probabilities for every row from a model that never saw its group (grouped, stratified K-fold)."""
    from sklearn.model_selection import StratifiedGroupKFold

    exp = np.asarray(expected)
    out = {"risk": np.zeros(len(exp)), "urgent": np.zeros(len(exp))}
    folds = StratifiedGroupKFold(N_FOLDS, shuffle=True, random_state=SEED + 1)
    for train, test in folds.split(np.zeros(len(exp)), exp, groups):
        vec, heads = fit([prepared[i] for i in train], exp[train], groups[train])
        x = vec.transform([prepared[i] for i in test])
        for key, clf in heads.items():
            out[key][test] = clf.predict_proba(x)[:, 1]
    return out


def rule_levels(rows: Sequence[Row]) -> tuple[list[str], list[str], list[bool]]:
    """The rules' level (no model), the language hint and the contextual flag for every row."""
    levels: list[str] = []
    hints: list[str] = []
    contextual: list[bool] = []
    for r in rows:
        res = screening.screen_rules(r.text)
        levels.append(res.level)
        hints.append(res.language_hint or "en")
        contextual.append(screening.is_contextual(res))
    return levels, hints, contextual


def combine(rule_level: str, p_risk: float, p_urgent: float, t: dict[str, float], contextual: bool = False) -> str:
    """The screener's level from the rules' level and the model's probabilities (as ``screen()`` does).

    ``t`` holds three thresholds: ``risk`` (none -> concern), ``urgent`` (none -> urgent) and
    ``urgent_from_concern`` (a rule's concern -> urgent). ``contextual``: the rules' only readings
    are a negation, a long-ago attempt or someone else's story, which the model does not make urgent.
    """
    if rule_level == "urgent":
        return "urgent"
    coherent = rule_level == "concern" or p_risk >= t["risk"]  # from none, both heads must agree
    if not contextual and coherent and p_urgent >= (t["urgent_from_concern"] if rule_level == "concern" else t["urgent"]):
        return "urgent"
    if rule_level == "concern" or p_risk >= t["risk"]:
        return "concern"
    return "none"


def choose_thresholds(
    rows: Sequence[Row], levels: Sequence[str], oof: dict[str, np.ndarray], contextual: Sequence[bool]
) -> dict[str, dict[str, float]]:
    """Per language, recall first: the lowest thresholds whose added false positives stay within caps.

    - ``risk``: lowest threshold with at most ``CAP_LOOKALIKE_FLAGGED`` of the lookalike none rows (idioms,
      accidents, ordinary heights and medicines) and at most ``CAP_NONE_FLAGGED`` of all none rows flagged
      by the model beyond what the rules already did;
    - ``urgent`` (from none): lowest threshold that makes at most ``CAP_NONE_URGENT`` of the none rows
      urgent beyond what the rules already did;
    - ``urgent_from_concern``: lowest threshold with at most ``CAP_CONCERN_URGENT`` of the concern rows
      urgent, and never below ``MIN_URGENT_FROM_CONCERN``.
    """
    out: dict[str, dict[str, float]] = {}
    for lang in ("en", "es"):
        sel = [i for i, r in enumerate(rows) if r.language == lang]
        none = [i for i in sel if rows[i].expected == "none"]
        look = [i for i in none if rows[i].construct in LOOKALIKE]
        conc = [i for i in sel if rows[i].expected == "concern"]

        def rate(ids: list[int], pred) -> float:  # type: ignore[no-untyped-def]
            return sum(pred(i) for i in ids) / max(1, len(ids))

        t_risk = GRID[0]
        for t in GRID:
            # What the model adds beyond the rules, as for ``urgent`` below: the rules' own readings of
            # none rows (a denial read as a gentle check, by design) must not push the model's threshold
            # up. Counting them did, once held-out rounds full of denials joined the training data.
            added = lambda i, t=t: levels[i] == "none" and oof["risk"][i] >= t  # noqa: E731
            if rate(look, added) <= CAP_LOOKALIKE_FLAGGED and rate(none, added) <= CAP_NONE_FLAGGED:
                t_risk = t
        t_urgent = GRID[0]
        for t in GRID:
            added = lambda i, t=t: levels[i] == "none" and oof["urgent"][i] >= t  # noqa: E731
            if rate(none, added) <= CAP_NONE_URGENT:
                t_urgent = t
        t_uc = GRID[0]
        for t in GRID:
            th = {"risk": t_risk, "urgent": t_urgent, "urgent_from_concern": t}
            urgent = lambda i, th=th: (  # noqa: E731
                combine(levels[i], float(oof["risk"][i]), float(oof["urgent"][i]), th, contextual[i]) == "urgent"
            )
            if rate(conc, urgent) <= CAP_CONCERN_URGENT:
                t_uc = t
        t_uc = max(t_uc, MIN_URGENT_FROM_CONCERN)
        t_risk, t_urgent = min(t_risk, AUTHOR_CEILING["risk"]), min(t_urgent, AUTHOR_CEILING["urgent"])
        out[lang] = {"risk": float(t_risk), "urgent": float(t_urgent), "urgent_from_concern": float(t_uc)}
    return out


def to_file(vec, heads, thresholds: dict, meta: dict) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The model file's contents from a fitted vectoriser and heads (plain numbers, no pickle)."""
    names: list[str] = [""] * len(vec.vocabulary_)
    for name, i in vec.vocabulary_.items():
        names[i] = name
    heads_out = {}
    for key, clf in heads.items():
        cc = clf.calibrated_classifiers_[0]
        heads_out[key] = {
            "coef": cc.estimator.coef_[0].tolist(),
            "intercept": float(cc.estimator.intercept_[0]),
            "a": float(cc.calibrators[0].a_),
            "b": float(cc.calibrators[0].b_),
        }
    return {
        "format": 1,
        "features": names,
        "idf": vec.idf_.tolist(),
        "heads": heads_out,
        "thresholds": thresholds,
        "meta": meta,
    }


def corpus_digest(rows: Sequence[Row]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(f"{r.text}\t{r.language}\t{r.expected}\t{r.construct}\n".encode())
    return h.hexdigest()


def build(rows: Sequence[Row] | None = None) -> tuple[dict, dict]:  # type: ignore[type-arg]
    """Train everything; returns ``(model file contents, cross-validation report)``."""
    rows = list(rows if rows is not None else load_corpus())
    prepared = [screening.model_view(screening.prepare(r.text)) for r in rows]
    expected = [r.expected for r in rows]
    groups = near_duplicate_groups(prepared)
    oof = out_of_fold(prepared, expected, groups)
    levels, hints, contextual = rule_levels(rows)
    thresholds = choose_thresholds(rows, levels, oof, contextual)
    vec, heads = fit(prepared, expected, groups)
    meta = {
        "rows": len(rows),
        "groups": int(len(set(groups.tolist()))),
        "corpus_sha256": corpus_digest(rows),
        "char_n": list(_model.CHAR_N),
        "min_df": MIN_DF,
        "max_features": MAX_FEATURES,
        "C": C,
        "seed": SEED,
    }
    data = to_file(vec, heads, thresholds, meta)
    final = []
    for i in range(len(rows)):
        t = thresholds.get(hints[i], thresholds["en"])
        final.append(combine(levels[i], float(oof["risk"][i]), float(oof["urgent"][i]), t, contextual[i]))
    report = {"rows": rows, "levels": levels, "final": final, "oof": oof, "thresholds": thresholds}
    return data, report


def dumps(data: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def cv_table(report: dict) -> str:  # type: ignore[type-arg]
    """Cross-validated figures: rules alone and rules + model, per language and per construct."""
    rows: list[Row] = report["rows"]
    lines = []

    def figs(ids: list[int], key: str) -> str:
        lv = report[key]
        risk = [i for i in ids if rows[i].expected != "none"]
        urg = [i for i in ids if rows[i].expected == "urgent"]
        none = [i for i in ids if rows[i].expected == "none"]
        look = [i for i in none if rows[i].construct in LOOKALIKE]

        def f(sel: list[int], pred) -> str:  # type: ignore[no-untyped-def]
            return f"{sum(map(pred, sel))}/{len(sel)}" + (f" ({sum(map(pred, sel)) / len(sel):.0%})" if sel else "")

        return (
            f"risk recall {f(risk, lambda i: lv[i] != 'none')}  urgent-as-urgent {f(urg, lambda i: lv[i] == 'urgent')}"
            f"  none flagged {f(none, lambda i: lv[i] != 'none')}  lookalikes flagged {f(look, lambda i: lv[i] != 'none')}"
        )

    for lang in (None, "en", "es"):
        ids = [i for i, r in enumerate(rows) if lang is None or r.language == lang]
        lines.append(f"{lang or 'all':3} rules alone : {figs(ids, 'levels')}")
        lines.append(f"{lang or 'all':3} rules+model : {figs(ids, 'final')}")
    lines.append("per construct (rules+model, out of fold; expected level -> share flagged / share urgent):")
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by[(r.construct, r.expected)].append(i)
    for (construct, exp), ids in sorted(by.items()):
        fl = sum(report["final"][i] != "none" for i in ids)
        ur = sum(report["final"][i] == "urgent" for i in ids)
        lines.append(f"  {construct:24} {exp:8} n={len(ids):4}  flagged {fl / len(ids):5.1%}  urgent {ur / len(ids):5.1%}")
    lines.append(f"thresholds: {json.dumps(report['thresholds'], sort_keys=True)}")
    return "\n".join(lines)




def by_author(rounds: Sequence[int] = tuple(range(9, 17))) -> str:
    """Leave one held-out round (one author) out at a time: what thresholds do for writing the model never saw.

    Random folds share an author's style between training and scoring; these do not. The rules' levels on
    these rounds are optimistic (rules were read on them after each was scored), the model's are not.
    """
    base = [*WRITTEN, *LABELLED]
    scored: list[tuple[Row, str, bool, float, float]] = []
    for k in rounds:
        rows = load_corpus([*base, *(p for p in RETIRED if p.name != f"heldout_round{k}.csv")])
        prepared = [screening.model_view(screening.prepare(r.text)) for r in rows]
        vec, heads = fit(prepared, [r.expected for r in rows], near_duplicate_groups(prepared))
        held = load_corpus([HERE / "tests" / f"heldout_round{k}.csv"])
        x = vec.transform([screening.model_view(screening.prepare(r.text)) for r in held])
        probs = {key: clf.predict_proba(x)[:, 1] for key, clf in heads.items()}
        levels, _, contextual = rule_levels(held)
        scored += [(r, levels[i], contextual[i], float(probs["risk"][i]), float(probs["urgent"][i])) for i, r in enumerate(held)]
    lines = [f"rounds {', '.join(map(str, rounds))}, each scored by a model trained without it ({len(scored)} sentences)"]
    pairs = ((0.37, 0.51), (0.28, 0.44), (0.2, 0.3), (AUTHOR_CEILING["risk"], AUTHOR_CEILING["urgent"]), (0.14, 0.3))
    for t_risk, t_urgent in pairs:
        t = {"risk": t_risk, "urgent": t_urgent, "urgent_from_concern": MIN_URGENT_FROM_CONCERN}
        lv = [(r, combine(rule, pr, pu, t, ctx)) for r, rule, ctx, pr, pu in scored]

        def share(sel: list[bool]) -> str:
            return f"{sum(sel) / max(1, len(sel)):.1%}"

        lines.append(
            f"  risk >= {t_risk:.2f}, urgent >= {t_urgent:.2f}: "
            f"risk flagged {share([v != 'none' for r, v in lv if r.expected != 'none'])}, "
            f"urgent screened urgent {share([v == 'urgent' for r, v in lv if r.expected == 'urgent'])}, "
            f"everyday flagged {share([v != 'none' for r, v in lv if r.expected == 'none'])}, "
            f"idioms, accidents, heights, medicines "
            f"{share([v != 'none' for r, v in lv if r.expected == 'none' and r.construct in IDIOMS_AND_ACCIDENTS])}, "
            f"everyday urgent {sum(v == 'urgent' for r, v in lv if r.expected == 'none')}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped model differs from a fresh one")
    parser.add_argument("--cv", action="store_true", help="print cross-validated figures")
    parser.add_argument("--by-author", action="store_true", help="leave one held-out round out at a time (minutes)")
    parser.add_argument("--rounds", type=int, nargs="+", help="with --by-author: which retired rounds (default 9 to 16)")
    args = parser.parse_args(argv)
    if args.by_author:
        print(by_author(tuple(args.rounds)) if args.rounds else by_author())
        return 0
    data, report = build()
    text = dumps(data)
    print(cv_table(report))
    if args.check:
        same = _model.MODEL_PATH.read_text(encoding="utf-8") == text
        print("shipped model matches a fresh training" if same else "shipped model DIFFERS from a fresh training")
        return 0 if same else 1
    if not args.cv:
        _model.MODEL_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {_model.MODEL_PATH} ({len(text) / 1e6:.2f} MB, {len(data['features'])} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
