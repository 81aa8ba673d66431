"""Sign-in, sign-up, password and email pages speak in Nearer's own words (English and Spanish):
no "contact us" (there is no contact desk), what to do instead, and how long a link really works."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

ALLAUTH_WORDING = ["Sign In", "Sign Up", "Signup", "contact us", "Bad Token", "Reset My Password",
                   "póngase en contacto", "Regístrese", "Restablecer Contraseña"]


def _page(path: str, lang: str, client: Client | None = None) -> str:
    c = client or Client()
    return c.get(path, HTTP_ACCEPT_LANGUAGE=lang, follow=True).content.decode()


def _main(html: str) -> str:
    return html.split('<main', 1)[1].split("</main>", 1)[0]


def _reset_link(email: str) -> str:
    Client().post("/accounts/password/reset/", {"email": email})
    body = [m for m in mail.outbox if email in m.to][-1].body
    return re.search(r"https?://\S+", body).group(0)


PAGES = {
    "/accounts/login/": ("Sign in", "Iniciar sesión"),
    "/accounts/signup/": ("Create an account", "Crear una cuenta"),
    "/accounts/password/reset/": ("Forgotten your password?", "¿Has olvidado tu contraseña?"),
    "/accounts/password/reset/done/": ("Check your email", "Mira tu correo"),
    "/accounts/confirm-email/": ("Check your email", "Mira tu correo"),
    "/accounts/password/reset/key/1-set-password/": ("This link no longer works", "Este enlace ya no funciona"),
    "/accounts/confirm-email/not-a-key/": ("Confirm your email", "Confirma tu correo"),
}


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_entrance_pages_use_our_words_and_keep_the_crisis_control(path, lang):
    html = _page(path, lang)
    heading = PAGES[path][0 if lang == "en" else 1]
    assert re.search(r"<h1>\s*" + re.escape(heading) + r"\s*</h1>", html), heading
    assert 'id="crisis-control"' in html
    main = _main(html)
    for old in ALLAUTH_WORDING:
        assert old not in main, old


@pytest.mark.parametrize(("path", "lang", "expected"), [
    ("/accounts/password/reset/done/", "en", "The link works for {days} days."),
    ("/accounts/password/reset/done/", "es", "El enlace funciona durante {days} días."),
    ("/accounts/confirm-email/", "en", "The link works for {days} days."),
    ("/accounts/confirm-email/", "es", "El enlace funciona durante {days} días."),
])
def test_waiting_pages_say_check_spam_and_how_long_the_link_lasts(path, lang, expected):
    from allauth.account import app_settings

    days = (settings.PASSWORD_RESET_TIMEOUT // 86400 if "password" in path
            else app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)
    main = _main(_page(path, lang))
    assert expected.format(days=days) in main
    assert "spam" in main
    assert 'href="/accounts/' in main  # and a next step: ask for a new link / sign in again


def test_sign_in_and_sign_up_keep_their_fields_and_buttons():
    login = _main(_page("/accounts/login/", "en"))
    assert 'name="login"' in login and 'name="password"' in login
    assert '<button type="submit">Sign in</button>' in login
    assert 'href="/accounts/password/reset/"' in login and 'href="/accounts/signup/"' in login
    signup = _main(_page("/accounts/signup/", "en"))
    for name in ("email", "display_name", "role", "password1", "password2"):
        assert f'name="{name}"' in signup
    assert '<button type="submit">Create my account</button>' in signup
    assert "Crear mi cuenta" in _page("/accounts/signup/", "es")


def test_password_reset_from_the_email_link_to_done(world):
    owner = world.user("owner")
    c = Client()
    form_page = c.get(_reset_link(owner.email), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    html = form_page.content.decode()
    assert "Choose a new password" in html and "Save my new password" in html
    done = c.post(form_page.request["PATH_INFO"],
                  {"password1": "a brand new phrase 77", "password2": "a brand new phrase 77"},
                  follow=True, HTTP_ACCEPT_LANGUAGE="es")
    assert "Tu contraseña ha cambiado" in done.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("a brand new phrase 77")


def test_sign_out_page_asks_kindly_in_both_languages(client_as):
    c = client_as("owner")
    assert "Sign out?" in _main(c.get("/accounts/logout/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    main = _main(c.get("/accounts/logout/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "¿Cerrar sesión?" in main and '<button type="submit">Cerrar sesión</button>' in main
