"""Measures: standard and clinic-supplied questionnaires, scoring and change.

The names exported here are Django-free; ``models``/``services``/``views``
(the Django layer) build on them. FHIR import/export lives in
:mod:`nearer.measures.fhir` (imported on demand because it loads the FHIR models).
"""

from .change import ChangeError, ChangeResult, jacobson_truax_cutoff, reliable_change, s_diff
from .definitions import (
    Band,
    Instrument,
    InstrumentError,
    get_instrument,
    list_instruments,
    load_definition,
    register_instrument,
    unregister_instrument,
)
from .scoring import ScoreResult, ScoringError, score

__all__ = [
    "Band",
    "ChangeError",
    "ChangeResult",
    "Instrument",
    "InstrumentError",
    "ScoreResult",
    "ScoringError",
    "get_instrument",
    "jacobson_truax_cutoff",
    "list_instruments",
    "load_definition",
    "register_instrument",
    "reliable_change",
    "s_diff",
    "score",
    "unregister_instrument",
]
