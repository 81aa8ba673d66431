"""The screener's statistical layer at request time: numpy only, no scikit-learn.

A linear model over character and word n-grams, trained by the project (``python -m
nearer.safety.train``) on its own labelled corpus and shipped as ``screener_model.json`` (no pickle:
feature names, inverse document frequencies, coefficients and the sigmoid calibration, as plain
numbers). Two calibrated probabilities come out of one pass over the text:

- ``risk``: the text is concern or urgent;
- ``urgent``: the text is urgent.

The screener uses them to raise a level the rules left lower, at thresholds chosen on
cross-validation (``docs/dev/screener.md``). The file is read once per process, on first use.

The arithmetic is scikit-learn's, written out: ``TfidfVectorizer(sublinear_tf=True, norm="l2")``
then ``LogisticRegression.decision_function`` then the sigmoid calibrator of
``CalibratedClassifierCV(method="sigmoid", ensemble=False)``: ``p = 1 / (1 + exp(a * d + b))``.
A test checks it against scikit-learn's ``predict_proba`` to 1e-9.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["MODEL_PATH", "Model", "features", "get_model"]

MODEL_PATH = Path(__file__).with_name("screener_model.json")
CHAR_N = (3, 4, 5)


def features(prepared: str) -> list[str]:
    """The n-grams the model reads from the prepared text (``screening.prepare``).

    Character 3- to 5-grams of the text padded with a space, and word 1- and 2-grams prefixed ``w:``.
    Used as the vectoriser's analyzer at training time, so training and inference see the same
    features by construction.
    """
    s = f" {prepared} "
    out: list[str] = []
    for n in CHAR_N:
        out.extend(s[i : i + n] for i in range(len(s) - n + 1))
    words = prepared.split()
    out.extend("w:" + w for w in words)
    out.extend(f"w:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return out


@dataclass(frozen=True)
class _Head:
    coef: np.ndarray
    intercept: float
    a: float
    b: float


class Model:
    """Feature index, idf and two calibrated heads, read from the shipped JSON file."""

    def __init__(self, data: dict) -> None:  # type: ignore[type-arg]
        names = data["features"]
        self.index: dict[str, int] = {name: i for i, name in enumerate(names)}
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        self.heads = {
            key: _Head(
                np.asarray(h["coef"], dtype=np.float64), float(h["intercept"]), float(h["a"]), float(h["b"])
            )
            for key, h in data["heads"].items()
        }
        self.thresholds: dict[str, dict[str, float]] = data["thresholds"]
        self.meta: dict[str, object] = data.get("meta", {})

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        with path.open(encoding="utf-8") as f:
            return cls(json.load(f))

    def vector(self, prepared: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices and l2-normalised tf-idf weights of the text's known features."""
        found = [i for i in map(self.index.get, features(prepared)) if i is not None]
        if not found:
            return np.zeros(0, dtype=np.intp), np.zeros(0)
        idx, counts = np.unique(np.asarray(found, dtype=np.intp), return_counts=True)
        w = (np.log(counts.astype(np.float64)) + 1.0) * self.idf[idx]
        w /= math.sqrt(float(w @ w))
        return idx, w

    def probabilities(self, prepared: str) -> dict[str, float]:
        """Calibrated probability of each head (``"risk"``, ``"urgent"``) for one prepared text."""
        idx, w = self.vector(prepared)
        out = {}
        for key, h in self.heads.items():
            d = float(w @ h.coef[idx]) + h.intercept
            out[key] = _expit(-(h.a * d + h.b))
        return out


def _expit(z: float) -> float:
    """The logistic function without overflow for large ``|z|``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


_lock = threading.Lock()
_model: Model | None = None


def get_model() -> Model:
    """The shipped model, loaded once per process on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = Model.load()
    return _model
