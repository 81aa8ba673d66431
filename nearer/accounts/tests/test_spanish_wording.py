"""Spanish that reads naturally where people look first."""

from __future__ import annotations


def test_spanish_menu_names_the_daily_check_in_not_signing_up(client_as):
    page = client_as("owner").get("/me/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # "Registrarme" reads as "sign me up", next to "Crear una cuenta" on the sign-in pages.
    assert ">Registro diario</a>" in page
    assert "Registrarme hoy" not in page
