"""Background work for the diary. Plain functions: the production scheduler calls them nightly."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone

from nearer.analysis.loop import PriorSource, fit_loop
from nearer.diary.models import CheckIn, LoopPopulation


@transaction.atomic
def refit_loops() -> LoopPopulation:
    """Refit the population prior across everyone's check-ins and store it (no personal data kept).

    With too few people for a population estimate the row stores ``data=None`` and the loop pages
    use the engine's built-in weakly informative prior.
    """
    rows = list(CheckIn.objects.values_list("person_id", "local_date", "mood", "closeness"))
    data = None
    n_people = len({r[0] for r in rows})
    if rows:
        fit = fit_loop(
            np.array([r[0] for r in rows], dtype=np.int64),
            np.array([r[1].toordinal() for r in rows], dtype=np.int64),
            np.array([r[2] for r in rows], dtype=float),
            np.array([r[3] for r in rows], dtype=float),
        )
        if fit.population is not None and fit.population.source == PriorSource.FITTED:
            data = fit.population.to_dict()
    row = LoopPopulation.objects.create(fitted_at=timezone.now(), n_people=n_people, data=data)
    # Keep a short history only.
    old = LoopPopulation.objects.order_by("-fitted_at").values_list("pk", flat=True)[5:]
    LoopPopulation.objects.filter(pk__in=list(old)).delete()
    return row
