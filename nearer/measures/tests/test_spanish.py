"""Official Spanish (USA) PHQ-9, PHQ-2 and GAD-7: chosen by language, stored with it, scored identically.

The wording below is the Pfizer / PHQ Screeners "Spanish for the USA" text as cited in docs/measures.md.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from nearer.measures import get_instrument
from nearer.measures.fhir import Administration as FhirAdministration
from nearer.measures.fhir import build_bundle, parse_responses
from nearer.measures.models import Administration

STEM = "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"
FREQ = ["Ningún día", "Varios días", "Más de la mitad de los días", "Casi todos los días"]
PHQ9_ES = [
    "Poco interés o placer en hacer cosas",
    "Se ha sentido decaído(a), deprimido(a) o sin esperanzas",
    "Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado",
    "Se ha sentido cansado(a) o con poca energía",
    "Sin apetito o ha comido en exceso",
    "Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia",
    "Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión",
    "¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy inquieto(a) o "
    "agitado(a) que ha estado moviéndose mucho más de lo normal",
    "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera",
]
GAD7_ES = [
    "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta",
    "No ha sido capaz de parar o controlar su preocupación",
    "Se ha preocupado demasiado por motivos diferentes",
    "Ha tenido dificultad para relajarse",
    "Se ha sentido tan inquieto(a) que no ha podido quedarse quieto(a)",
    "Se ha molestado o irritado fácilmente",
    "Ha tenido miedo de que algo terrible fuera a pasar",
]


@pytest.mark.parametrize("iid,expected", [("phq9", PHQ9_ES), ("phq2", PHQ9_ES[:2]), ("gad7", GAD7_ES)])
def test_official_spanish_wording(iid, expected):
    inst = get_instrument(iid)
    assert inst.has_language("es") and inst.language_for("es-MX") == "es" and inst.language_for("fr") == "en"
    assert [inst.items[lid].text_in("es") for lid in inst.scored_items] == expected
    for lid in inst.scored_items:
        assert [o.display_in("es") for o in inst.items[lid].options] == FREQ
        # The codes and weights are the same objects in both languages: scoring cannot differ.
        assert [o.weight for o in inst.items[lid].options] == [0, 1, 2, 3]
    assert inst.instructions_in("es") == [STEM]


def test_phq9_difficulty_question_in_spanish():
    item = get_instrument("phq9").items["69722-7"]
    assert item.text_in("es").startswith("Si marcó cualquiera de los problemas, ¿qué tanta dificultad")
    assert [o.display_in("es") for o in item.options] == [
        "No ha sido difícil", "Un poco difícil", "Muy difícil", "Extremadamente difícil"]


def _answers_for(inst, total):
    """Form data reaching ``total`` exactly: fill items with 3s, then the remainder."""
    data, left = {}, total
    for lid in inst.scored_items:
        w = min(3, left)
        left -= w
        code = next(o.code for o in inst.items[lid].options if o.weight == w)
        data[f"q_{lid}"] = code
    assert left == 0
    return data


def _edges():
    for iid in ("phq9", "phq2", "gad7"):
        for band in get_instrument(iid).bands:
            for total in sorted({int(band.min), int(band.max)}):
                yield iid, total, band.key


EDGES = list(_edges())


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("iid,total,band", EDGES, ids=[f"{i}-{t}" for i, t, _ in EDGES])
def test_band_edges_score_identically_in_both_languages(client_as, world, lang, iid, total, band):
    inst = get_instrument(iid)
    c = client_as("unlinked")
    r = c.post(reverse("measures:answer", args=[iid]), _answers_for(inst, total), HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200, r.content[:500]
    adm = Administration.objects.get(person=world.unlinked)
    assert (adm.total, adm.band_key, adm.language) == (total, band, lang)


@pytest.mark.django_db
def test_spanish_form_shows_only_spanish_and_item9_rule_is_unchanged(client_as, world):
    inst = get_instrument("phq9")
    c = client_as("owner")
    page = c.get(reverse("measures:answer", args=["phq9"]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert STEM in page and PHQ9_ES[8] in page and "Ningún día" in page
    assert "Not at all" not in page and "Little interest" not in page
    assert 'lang="es"' in page
    data = _answers_for(inst, 0)
    data["q_44260-8"] = next(o.code for o in inst.items["44260-8"].options if o.weight == 1)
    html = c.post(reverse("measures:answer", args=["phq9"]), data, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    adm = Administration.objects.get(person=world.owner)
    assert adm.language == "es" and adm.item9_positive and adm.total == 1
    # Crisis help in the same response, with the Spanish routes.
    assert "sms:988?&amp;body=AYUDA" in html and "sms:741741?&amp;body=AYUDA" in html
    from nearer.safety.models import RiskEvent

    assert RiskEvent.objects.filter(person=world.owner).count() == 1


@pytest.mark.django_db
def test_fhir_response_carries_the_language_and_round_trips():
    from datetime import UTC, datetime

    inst = get_instrument("gad7")
    answers = {lid: 1 for lid in inst.scored_items}
    when = datetime(2026, 5, 1, 12, tzinfo=UTC)
    bundle = build_bundle("Patient/x", [FhirAdministration("gad7", when, answers, "7", "es"),
                                        FhirAdministration("gad7", when, answers, "8", "en")])
    qrs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert [q["language"] for q in qrs] == ["es", "en"]
    assert qrs[0]["item"][0]["text"] == GAD7_ES[0]
    assert qrs[1]["item"][0]["text"] == "Feeling nervous, anxious or on edge"
    back = parse_responses(bundle)
    assert [(a.language, dict(a.answers)) for a in back] == [("es", answers), ("en", answers)]


@pytest.mark.django_db
def test_language_in_export_csv_api_and_therapist_page(client_as, world):
    from nearer.measures import services
    from nearer.privacy.services import export_zip

    inst = get_instrument("phq9")
    answers = {lid: 0 for lid in inst.scored_items}
    services.submit_administration(world.owner, "phq9", answers, language="es")
    services.submit_administration(world.owner, "phq9", answers, language="en")
    archive = zipfile.ZipFile(io.BytesIO(export_zip(world.owner)))
    name = next(n for n in archive.namelist() if n.startswith("csv/") and "administration" in n)
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode())))
    assert [r["language"] for r in rows] == ["es", "en"]
    api = client_as("owner").get("/api/measures/administrations", HTTP_AUTHORIZATION=f"Bearer {world.tokens['owner']}")
    assert api.status_code == 200
    assert sorted(r["language"] for r in json.loads(api.content)) == ["en", "es"]
    page = client_as("therapist").get(reverse("measures:client-detail", args=[world.owner.pk])).content.decode()
    assert 'data-language="es">Español' in page and 'data-language="en">English' in page


@pytest.mark.django_db
def test_a_language_without_an_official_version_is_refused(world):
    from django.core.exceptions import ValidationError

    from nearer.measures import services

    with pytest.raises(ValidationError) as exc:
        services.submit_administration(world.owner, "phq9", {}, language="fr")
    assert "language" in exc.value.message_dict
    assert not Administration.objects.exists()


@pytest.mark.django_db
def test_therapist_client_page_shows_the_language(client_as, world):
    from nearer.measures import services

    answers = {lid: 0 for lid in get_instrument("gad7").scored_items}
    services.submit_administration(world.owner, "gad7", answers, language="es")
    html = client_as("therapist").get(reverse("clinic:client-detail", args=[world.owner.pk])).content.decode()
    assert 'data-language="es">Español' in html
