"""Caseload outcomes: aggregate reliable change per measure and period, for a therapist or a clinic.

For each client with two or more administrations of a measure (same instrument version) at least
14 days apart inside the period, the first and the last of the period are compared with the
measures app's Jacobson-Truax rule (``reliable_change_for``): reliable improvement, no reliable
change or reliable deterioration; "recovered" (reliable improvement and crossing the clinical
cutoff) is counted among those who started in the clinical range, for measures with a cutoff.
Measures without a reliable-change block are left out (their change cannot be called reliable).

Only counts leave this module: never a client, a score or a date. A clinic admin's table hides
any row with fewer than ``MIN_CELL`` clients, so a small clinic cannot be read client by client.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from nearer.accounts.models import User

MIN_GAP = timedelta(days=14)
MIN_CELL = 5
PERIODS = (("90", 90), ("365", 365), ("all", None))


def period_label(key: str) -> str:
    return {"90": _("Last 90 days"), "365": _("Last 12 months"), "all": _("All time")}[key]


@dataclass
class OutcomeRow:
    instrument_id: str
    title: str
    period: str
    clients: int
    improved: int
    no_change: int
    deteriorated: int
    recovered: int | None  # None when the measure defines no cutoff
    started_clinical: int | None
    suppressed: bool = False

    def share(self, n: int | None) -> str:
        if n is None or not self.clients:
            return "—"
        return f"{round(100 * n / self.clients)}%"

    @property
    def improved_share(self) -> str:
        return self.share(self.improved)

    @property
    def no_change_share(self) -> str:
        return self.share(self.no_change)

    @property
    def deteriorated_share(self) -> str:
        return self.share(self.deteriorated)

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def recovered_text(self) -> str:
        if self.recovered is None:
            return _("not defined")
        if not self.started_clinical:
            return _("none started in the clinical range")
        return _("%(n)s of %(m)s who started in the clinical range") % {"n": self.recovered, "m": self.started_clinical}


def therapist_client_ids(therapist: User) -> tuple[list[int], list[Any]]:
    """Clients sharing measures with ``therapist`` and their links (for the access log)."""
    from nearer.accounts.models import Link

    links = [ln for ln in Link.objects.active().filter(viewer=therapist, kind="therapist") if ln.has_scope("measures")]
    return [ln.owner_id for ln in links], links


def clinic_client_ids(admin: User) -> list[int]:
    """Clients who share measures with a therapist of the admin's clinic (ids only, never shown)."""
    from nearer.accounts.models import Link

    links = Link.objects.active().filter(kind="therapist", viewer__clinic=admin.clinic, viewer__role="therapist")
    return sorted({ln.owner_id for ln in links if ln.has_scope("measures")})


def compute(person_ids: list[int], *, now: datetime | None = None, min_cell: int = 0) -> list[OutcomeRow]:
    """Outcome rows for every measure with reliable change, for each period (one query)."""
    from nearer.measures.change import ChangeError, reliable_change_for
    from nearer.measures.definitions import list_instruments
    from nearer.measures.models import Administration

    now = now or timezone.now()
    instruments = [i for i in list_instruments() if i.change is not None]
    if not person_ids or not instruments:
        return []
    by_id = {i.id: i for i in instruments}
    series: dict[tuple[str, int], list[tuple[datetime, float]]] = defaultdict(list)
    rows = (Administration.objects.filter(person_id__in=person_ids, instrument_id__in=list(by_id))
            .order_by("completed_at", "pk").values_list("instrument_id", "instrument_version", "person_id", "completed_at", "total"))
    for iid, version, pid, at, total in rows:
        # Never compare across instrument versions: only the current version's series count.
        if (by_id[iid].version or "") == (version or ""):
            series[(iid, pid)].append((at, float(total)))
    out = []
    for inst in instruments:
        title = inst.title.split(" (")[0]
        for key, days in PERIODS:
            start = now - timedelta(days=days) if days else None
            counts = {"reliable_improvement": 0, "no_reliable_change": 0, "reliable_deterioration": 0}
            clients = recovered = clinical = 0
            for (iid, _pid), points in series.items():
                if iid != inst.id:
                    continue
                inside = [p for p in points if (start is None or p[0] >= start) and p[0] <= now]
                if len(inside) < 2 or inside[-1][0] - inside[0][0] < MIN_GAP:
                    continue
                try:
                    result = reliable_change_for(inst, inside[0][1], inside[-1][1])
                except ChangeError:
                    continue
                clients += 1
                counts[str(result.label)] += 1
                if inst.cutoff is not None:
                    before = inside[0][1]
                    started = before < inst.cutoff.value if inst.higher_is_better else before > inst.cutoff.value
                    if started:
                        clinical += 1
                        recovered += int(bool(result.recovered))
            row = OutcomeRow(instrument_id=inst.id, title=title, period=key, clients=clients,
                             improved=counts["reliable_improvement"], no_change=counts["no_reliable_change"],
                             deteriorated=counts["reliable_deterioration"],
                             recovered=recovered if inst.cutoff is not None else None,
                             started_clinical=clinical if inst.cutoff is not None else None)
            if min_cell and 0 < clients < min_cell:
                row = OutcomeRow(inst.id, title, key, 0, 0, 0, 0, None, None, suppressed=True)
            out.append(row)
    return out


def to_csv(rows: list[OutcomeRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["measure", "period", "clients", "reliable_improvement", "reliable_improvement_share",
                "no_reliable_change", "no_reliable_change_share", "reliable_deterioration",
                "reliable_deterioration_share", "recovered", "started_in_clinical_range", "suppressed_under"])
    for r in rows:
        if r.suppressed:
            w.writerow([r.instrument_id, r.period, "", "", "", "", "", "", "", "", "", MIN_CELL])
            continue
        w.writerow([r.instrument_id, r.period, r.clients, r.improved, r.share(r.improved), r.no_change,
                    r.share(r.no_change), r.deteriorated, r.share(r.deteriorated),
                    "" if r.recovered is None else r.recovered, "" if r.started_clinical is None else r.started_clinical, ""])
    return buf.getvalue()
