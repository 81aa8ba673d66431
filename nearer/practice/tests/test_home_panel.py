"""The home page's "Closeness practice" card says what practice is when there is nothing planned yet
(Alex, the partner, saw only a bare "Open practice" link)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _card(html: str) -> str:
    start = html.index('aria-labelledby="practice-panel-heading"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize(("lang", "sentence", "link"), [
    ("en", "Small, safe steps towards feeling close to your partner again, at your own pace.", "Open practice"),
    ("es", "Pasos pequeños y seguros para volver a sentirte cerca de tu pareja, a tu ritmo.", "Abrir la práctica"),
])
def test_partner_with_nothing_planned_is_told_what_practice_is(client_as, lang, sentence, link):
    card = _card(client_as("partner").get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode())
    assert sentence in card
    assert link in card


def test_someone_with_a_next_step_sees_the_step_not_the_introduction(client_as, world, monkeypatch):
    from nearer.practice import queries

    monkeypatch.setattr(queries, "ladder", lambda user, lang, **_read: {"next_row": {"label": "Say one feeling out loud"}})
    card = _card(client_as("owner").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Your next step: Say one feeling out loud" in card
    assert "Small, safe steps" not in card
