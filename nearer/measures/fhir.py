"""FHIR R4 export and import of administrations (Django-free).

:func:`build_bundle` turns administrations into a ``collection`` Bundle holding,
per administration, a QuestionnaireResponse and an Observation for the total
(plus Observations for items the instrument asks to be observed, such as PHQ-9
item 9). Each Observation points at its QuestionnaireResponse through
``derivedFrom``; all ``fullUrl`` values are ``urn:uuid:`` so the bundle stands
alone. :func:`parse_responses` reads QuestionnaireResponses back.

Identifiers are derived deterministically (uuid5) from the instrument and the
administration id so that exporting twice gives the same bundle.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .definitions import Instrument, InstrumentError, find_by_canonical, get_instrument
from .scoring import ScoringError, score_instrument

__all__ = ["Administration", "FhirError", "build_bundle", "parse_responses", "ADMINISTRATION_ID_SYSTEM"]

ADMINISTRATION_ID_SYSTEM = "urn:nearer:administration"
_NS = uuid.UUID("6f1d2c3e-6a59-4c53-9a8e-2f5d8f0b7a11")
_OBS_CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


class FhirError(ValueError):
    """A bundle or response cannot be built or imported."""


@dataclass(frozen=True)
class Administration:
    """One completed questionnaire: who answered is the bundle's ``person_ref``."""

    instrument_id: str
    authored: datetime
    answers: Mapping[str, int | float]
    id: str
    #: The language the questions were shown in (BCP-47 code, e.g. "en" or "es").
    language: str = "en"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "\x1f".join(parts)))


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise FhirError("authored must be a timezone-aware datetime")
    return dt.isoformat()


def _coding_for(inst: Instrument, link_id: str, weight: float) -> dict[str, str]:
    item = inst.items[link_id]
    for opt in item.options:
        if opt.weight is not None and abs(opt.weight - float(weight)) < 1e-9:
            coding = {"code": opt.code}
            if opt.system:
                coding["system"] = opt.system
            if opt.display:
                coding["display"] = opt.display
            return {k: coding[k] for k in ("system", "code", "display") if k in coding}
    raise FhirError(f"the answer for item '{link_id}' is out of range")


def _quantity(value: int | float) -> dict[str, Any]:
    return {"value": value, "unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"}


def build_bundle(person_ref: str, administrations: Iterable[Administration]) -> dict[str, Any]:
    """Build a FHIR R4 ``collection`` Bundle for one person's administrations.

    Parameters
    ----------
    person_ref
        A FHIR reference for the person, e.g. ``"Patient/123"`` or a
        ``urn:uuid:`` reference. It goes into ``subject`` unchanged.
    administrations
        :class:`Administration` objects; answers map linkId to weight.

    Returns
    -------
    dict
        The Bundle as plain JSON-ready data.
    """
    if not isinstance(person_ref, str) or not person_ref:
        raise FhirError("person_ref must be a non-empty reference string")
    subject = {"reference": person_ref}
    entries: list[dict[str, Any]] = []
    for adm in administrations:
        try:
            inst = get_instrument(adm.instrument_id)
            result = score_instrument(inst, adm.answers)
        except (InstrumentError, ScoringError) as exc:
            raise FhirError(f"administration '{adm.id}': {exc}") from None
        authored = _iso(adm.authored)
        qr_id = _uuid(inst.id, str(adm.id), "QuestionnaireResponse")
        qr_url = f"urn:uuid:{qr_id}"
        qr_items = []
        for lid in inst.items:  # questionnaire order
            if lid not in result.answered:
                continue
            entry: dict[str, Any] = {
                "linkId": lid,
                "answer": [{"valueCoding": _coding_for(inst, lid, result.answered[lid])}],
            }
            if inst.items[lid].text:
                entry["text"] = inst.items[lid].text_in(adm.language)
            qr_items.append(entry)
        canonical = inst.url + (f"|{inst.version}" if inst.version else "")
        qr = {
            "resourceType": "QuestionnaireResponse",
            "id": qr_id,
            "identifier": {"system": ADMINISTRATION_ID_SYSTEM, "value": str(adm.id)},
            "questionnaire": canonical,
            "language": adm.language or "en",
            "status": "completed",
            "subject": subject,
            "authored": authored,
            "item": qr_items,
        }
        entries.append({"fullUrl": qr_url, "resource": qr})

        total_code: dict[str, Any]
        if inst.total_code:
            total_code = {"coding": [dict(inst.total_code)], "text": f"{inst.title} total score"}
        else:
            total_code = {"text": f"{inst.title} total score"}
        obs_id = _uuid(inst.id, str(adm.id), "total")
        total_obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": obs_id,
            "status": "final",
            "category": [_OBS_CATEGORY],
            "code": total_code,
            "subject": subject,
            "effectiveDateTime": authored,
            "derivedFrom": [{"reference": qr_url}],
        }
        if isinstance(result.total, int):
            total_obs["valueInteger"] = result.total
        else:
            total_obs["valueQuantity"] = _quantity(round(result.total, 4))
        entries.append({"fullUrl": f"urn:uuid:{obs_id}", "resource": total_obs})

        for lid in inst.observed_items:
            if lid not in result.answered:
                continue
            item = inst.items[lid]
            coding = _coding_for(inst, lid, result.answered[lid])
            code: dict[str, Any] = {"text": item.text}
            if item.code:
                code["coding"] = [
                    {k: v for k, v in (("system", s), ("code", c)) if v is not None} for s, c in item.code
                ]
            item_id = _uuid(inst.id, str(adm.id), "item", lid)
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{item_id}",
                    "resource": {
                        "resourceType": "Observation",
                        "id": item_id,
                        "status": "final",
                        "category": [_OBS_CATEGORY],
                        "code": code,
                        "subject": subject,
                        "effectiveDateTime": authored,
                        "valueCodeableConcept": {"coding": [coding], "text": coding.get("display", "")},
                        "derivedFrom": [{"reference": qr_url}],
                    },
                }
            )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _validate(resource: Mapping[str, Any]) -> None:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    kind = resource.get("resourceType")
    if kind not in ("Bundle", "QuestionnaireResponse"):
        raise FhirError("expected a Bundle or a QuestionnaireResponse")
    try:
        if kind == "Bundle":
            Bundle.model_validate(dict(resource))
        else:
            QuestionnaireResponse.model_validate(dict(resource))
    except ValidationError as exc:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:5])
        raise FhirError(f"not a valid FHIR R4 {resource['resourceType']} (problem at: {where})") from None


def _flatten(items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for it in items:
        out.append(it)
        out.extend(_flatten(it.get("item") or []))
        for ans in it.get("answer") or []:
            out.extend(_flatten(ans.get("item") or []))
    return out


def _parse_qr(qr: Mapping[str, Any], position: int) -> Administration:
    label = f"response {position}"
    canonical = qr.get("questionnaire")
    if not canonical:
        raise FhirError(f"{label} does not say which questionnaire it answers")
    try:
        inst = find_by_canonical(str(canonical))
    except InstrumentError as exc:
        raise FhirError(f"{label}: {exc}") from None
    if qr.get("status") not in ("completed", "amended"):
        raise FhirError(f"{label} is not completed")
    raw_authored = qr.get("authored")
    if not raw_authored:
        raise FhirError(f"{label} has no authored date")
    try:
        authored = datetime.fromisoformat(str(raw_authored).replace("Z", "+00:00"))
    except ValueError:
        raise FhirError(f"{label} has an authored value that is not a date and time") from None
    if authored.tzinfo is None:
        raise FhirError(f"{label} has an authored time without a time zone")

    answers: dict[str, int | float] = {}
    for it in _flatten(qr.get("item") or []):
        lid = str(it.get("linkId"))
        if lid not in inst.items:
            if not it.get("answer"):
                continue  # display or group items carry no answers
            raise FhirError(f"{label}: '{lid}' is not an item of {inst.id}")
        given = it.get("answer") or []
        if not given:
            continue
        if len(given) != 1:
            raise FhirError(f"{label}: item '{lid}' has more than one answer")
        ans = given[0]
        item = inst.items[lid]
        weight = None
        if "valueCoding" in ans:
            coding = ans["valueCoding"]
            for opt in item.options:
                if opt.code == coding.get("code") and (
                    coding.get("system") is None or opt.system is None or coding.get("system") == opt.system
                ):
                    weight = opt.weight
                    break
            if weight is None:
                raise FhirError(f"{label}: the answer for item '{lid}' is not one of its answer codes")
        else:
            raise FhirError(f"{label}: item '{lid}' needs a coded answer (valueCoding)")
        answers[lid] = int(weight) if float(weight).is_integer() else weight
    try:
        score_instrument(inst, answers)
    except ScoringError as exc:
        raise FhirError(f"{label}: {exc}") from None

    ident = qr.get("identifier")
    adm_id = None
    if isinstance(ident, Mapping) and ident.get("system") == ADMINISTRATION_ID_SYSTEM:
        adm_id = ident.get("value")
    language = str(qr.get("language") or "en").split("-")[0].lower()
    if not inst.has_language(language):
        raise FhirError(f"{label}: {inst.id} has no official version in language '{language}'")
    return Administration(
        instrument_id=inst.id,
        authored=authored,
        answers=answers,
        language=language,
        id=str(adm_id or qr.get("id") or _uuid(inst.id, str(raw_authored), str(position))),
    )


def parse_responses(bundle_or_qr: Mapping[str, Any] | str | bytes) -> list[Administration]:
    """Import QuestionnaireResponses for known instruments.

    Accepts a Bundle (any type; entries that are not QuestionnaireResponses,
    such as our own Observations, are skipped) or a single
    QuestionnaireResponse, as parsed JSON or a JSON string.

    Raises
    ------
    FhirError
        For invalid FHIR, an unknown questionnaire, an unknown item or an
        answer that is not one of the item's options. Messages name the
        response position and linkId, never the answers themselves.
    """
    if isinstance(bundle_or_qr, str | bytes):
        try:
            data = json.loads(bundle_or_qr)
        except json.JSONDecodeError:
            raise FhirError("the input is not valid JSON") from None
    else:
        data = bundle_or_qr
    if not isinstance(data, Mapping):
        raise FhirError("expected a JSON object")
    _validate(data)
    if data["resourceType"] == "QuestionnaireResponse":
        return [_parse_qr(data, 1)]
    out = []
    position = 0
    for entry in data.get("entry") or []:
        res = entry.get("resource") or {}
        if res.get("resourceType") != "QuestionnaireResponse":
            continue
        position += 1
        out.append(_parse_qr(res, position))
    return out
