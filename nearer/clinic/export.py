"""Clinician export: a therapist's linked clients' questionnaires as CSV or one FHIR R4 Bundle.

Only clients whose link to this therapist carries the ``measures`` scope are included, and each of
them gets one access-log row for the export (``access.read_many``). Item answers are included
(they are measures data the client shares); free text never is.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from nearer.privacy import access

if TYPE_CHECKING:
    from nearer.accounts.models import Link, User


def _sharing_links(therapist: User) -> list[Link]:
    from nearer.accounts.models import Link

    access.check_viewer(therapist)
    return [ln for ln in Link.objects.active().filter(viewer=therapist, kind="therapist").select_related("owner")
            if ln.has_scope("measures")]


def _language(adm: Any) -> str:
    # Administrations carry a language once the measures app records it; before that, English.
    return str(getattr(adm, "language", "") or "en")


def _references(therapist: User, client_ids: list[int]) -> dict[int, str]:
    from nearer.clinic.models import ClientReference

    return dict(ClientReference.objects.filter(client_id__in=client_ids, clinic=therapist.clinic)
                .values_list("client_id", "reference"))


def _administrations(client_ids: list[int]) -> list[Any]:
    from nearer.measures.models import Administration

    return list(Administration.objects.filter(person_id__in=client_ids).order_by("person_id", "completed_at", "pk"))


def export_csv(therapist: User, *, what: str = "clinic:measures-export-csv") -> str:
    """One row per administration: client, reference, instrument, date, language, total, band, change, items."""
    from nearer.clinic.queries import initials

    links = _sharing_links(therapist)
    ids = [ln.owner_id for ln in links]
    access.read_many(therapist, [(ln, "measures") for ln in links], what)
    refs = _references(therapist, ids)
    people = {ln.owner_id: ln.owner for ln in links}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["client_id", "client_reference", "client_initials", "instrument", "instrument_version", "completed_at",
                "language", "total", "band", "change_since_first", "rci", "recovered", "items"])
    for adm in _administrations(ids):
        items = ";".join(f"{lid}={int(v) if float(v).is_integer() else v}" for lid, v in adm.answers.items())
        w.writerow([adm.person_id, _safe(refs.get(adm.person_id, "")), initials(people[adm.person_id]), adm.instrument_id,
                    adm.instrument_version, adm.completed_at.isoformat(), _language(adm), adm.total_display, adm.band_key,
                    adm.change_label, "" if adm.rci is None else round(adm.rci, 3), "yes" if adm.recovered else "no", items])
    return buf.getvalue()


def _safe(value: str) -> str:
    """A spreadsheet never runs a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def export_fhir(therapist: User, *, what: str = "clinic:measures-export-fhir") -> dict[str, Any]:
    """One FHIR R4 collection Bundle: each client's QuestionnaireResponses and Observations (LOINC-coded)."""
    from nearer.measures.definitions import InstrumentError, get_instrument
    from nearer.measures.fhir import Administration as FhirAdministration
    from nearer.measures.fhir import build_bundle
    from nearer.measures.services import ensure_clinic_instruments

    links = _sharing_links(therapist)
    ids = [ln.owner_id for ln in links]
    access.read_many(therapist, [(ln, "measures") for ln in links], what)
    ensure_clinic_instruments()
    per_person: dict[int, list[Any]] = {}
    languages: dict[str, str] = {}
    for a in _administrations(ids):
        try:
            inst = get_instrument(a.instrument_id)
        except InstrumentError:
            continue
        if (inst.version or "") != a.instrument_version:
            continue  # an older version's answers cannot be coded against today's questionnaire
        per_person.setdefault(a.person_id, []).append(FhirAdministration(a.instrument_id, a.completed_at, a.answers, str(a.pk)))
        languages[str(a.pk)] = _language(a)
    entries: list[dict[str, Any]] = []
    for pid, adms in per_person.items():
        bundle = build_bundle(f"Patient/nearer-{pid}", adms)
        for entry in bundle["entry"]:
            res = entry["resource"]
            if res["resourceType"] == "QuestionnaireResponse":
                res["language"] = languages.get(res["identifier"]["value"], "en")
            entries.append(entry)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
