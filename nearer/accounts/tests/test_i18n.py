import pytest

pytestmark = pytest.mark.django_db


def test_pages_follow_the_browser_language(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in page
    assert "Siéntete menos solo" in page
    assert "Crear una cuenta" in page
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Feel less alone" in page


def test_language_can_be_chosen(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/help/"})
    assert response.status_code == 302
    assert "Busca ayuda ahora" in client.get("/help/").content.decode()


def test_signed_in_pages_in_spanish(world, client_as):
    c = client_as("owner")
    page = c.get("/me/sharing/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Quién puede ver qué" in page
    assert "Valoraciones de conversaciones en pareja" in page


def test_every_foundation_string_is_translated():
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""' in e and "msgstr \"\"\n\"" not in e and "msgid_plural" not in e]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po
