"""Spanish: the catalog is complete, and the caseload, client page and PDF report read in Spanish."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.urls import reverse

from nearer.clinic import fixtures
from nearer.clinic.models import Session

PO = Path(fixtures.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_spanish_catalog_is_complete() -> None:
    po = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    assert '"Language: es\\n"' in po
    entries = po.split("\n\n")[1:]
    assert len(entries) > 200
    for entry in entries:
        assert not re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, flags=re.MULTILINE), entry
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1  # compiled after the last edit


def _spanish(c: Any) -> Any:
    c.cookies["django_language"] = "es"
    return c


@pytest.mark.django_db
def test_caseload_and_client_page_in_spanish(world: Any, client_as: Any) -> None:
    jordan = fixtures.make_client("jordan@example.test", "Jordan Lee", world.therapist)
    fixtures.add_history(jordan, days=40, end=fixtures.today_for(jordan), phq9=[8, 16],
                         rng=np.random.default_rng(5))
    c = _spanish(client_as("therapist"))
    page = html.unescape(c.get(reverse("clinic:caseload")).content.decode())
    assert "Quién te necesita primero" in page
    assert "16 · Moderadamente grave · <strong>Empeoramiento fiable</strong>" in page
    assert "racha de 40 días" in page
    assert "Ánimo y cercanía" in page or "Estable" in page  # 40 days of check-ins: a direction, not "not enough"
    detail = html.unescape(c.get(reverse("clinic:client-detail", args=[jordan.pk])).content.decode())
    assert "Último total del PHQ-9: 16" in detail
    assert "Comparado con la primera puntuación: empeoramiento fiable." in detail
    assert "Registros diarios" in detail and "Informe de sesión" in detail


@pytest.mark.django_db
def test_report_pdf_in_spanish(world: Any, client_as: Any) -> None:
    c = fixtures.make_client("fixture@example.test", "Jordan Lee", world.therapist)
    today = fixtures.today_for(c)
    fixtures.add_history(c, days=60, end=today, phq9=[18, 15, 11, 7], rng=np.random.default_rng(11))
    Session.objects.create(therapist=world.therapist, client=c, held_on=today - timedelta(days=20))
    response = _spanish(client_as("therapist")).get(reverse("clinic:client-report", args=[c.pk]))
    assert response["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(response.content)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Confidencial: contiene información de salud de J.L. Compártelo solo como el cliente acordó." in flat
    assert "Informe de sesión · J.L." in flat
    assert "Último total del PHQ-9: 7 (leve), frente a 18 al principio." in flat
    assert "Comparado con la primera puntuación: mejoría fiable." in flat
    assert "21 registros en 21 días" in flat
    assert "Confidential" not in flat and "Latest" not in flat
