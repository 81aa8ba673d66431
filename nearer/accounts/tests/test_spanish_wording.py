"""Spanish that reads naturally where people look first."""

from __future__ import annotations


def test_spanish_menu_names_the_daily_check_in_not_signing_up(client_as):
    page = client_as("owner").get("/me/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # "Registrarme" reads as "sign me up", next to "Crear una cuenta" on the sign-in pages.
    assert ">Registro diario</a>" in page
    assert "Registrarme hoy" not in page


def test_spanish_calls_the_loop_one_name_everywhere():
    """The loop is "círculo" on every page and in every Spanish catalogue, never also "ciclo"."""
    from pathlib import Path

    import nearer

    root = Path(nearer.__file__).parent
    found = []
    for po in root.glob("**/locale/es/LC_MESSAGES/django.po"):
        text = po.read_text(encoding="utf-8")
        msgstrs = [line for line in text.splitlines() if not line.startswith(("msgid", "#"))]
        if any("ciclo" in line.lower() for line in msgstrs):
            found.append(str(po.relative_to(root)))
    assert found == []
