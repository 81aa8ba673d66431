"""Reflections: encrypted, private by default, shared only by choice, screened, and seen by a
therapist only through a link carrying the ``reflections`` scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse

from nearer.learn import services
from nearer.learn.models import ReadMark, Reflection
from nearer.privacy.models import AccessLog
from nearer.safety import services as safety_services

pytestmark = pytest.mark.django_db

SECRET = "I keep going quiet when Alex reaches for me"


def _turn_on_reflections(world: Any) -> None:
    link = world.objects["link_owner_therapist"]
    link.scopes = sorted(set(link.scopes) | {"reflections"})
    link.save(update_fields=["scopes"])


def _client_page(client_as: Any, world: Any, persona: str = "therapist") -> Any:
    return client_as(persona).get(reverse("learn:client-reflections", kwargs={"client_id": world.owner.pk}))


def test_reflection_is_stored_as_ciphertext(world) -> None:
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM learn_reflection WHERE id = %s", [reflection.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc1:")
    assert SECRET not in raw and "Alex" not in raw
    assert Reflection.objects.get(pk=reflection.pk).text == SECRET


def test_saving_from_the_page_is_private_by_default_and_marks_read(client_as, world) -> None:
    response = client_as("owner").post(reverse("learn:reflection-save", kwargs={"slug": "loop"}), {"text": SECRET})
    assert response.status_code == 302
    reflection = Reflection.objects.get(person=world.owner)
    assert reflection.shared is False and reflection.shared_at is None
    assert reflection.slug == "loop"
    assert ReadMark.objects.filter(person=world.owner, slug="loop").exists()
    page = client_as("owner").get(reverse("learn:piece-detail", kwargs={"slug": "loop"})).content.decode()
    assert SECRET in page
    assert "Private" in page


def test_private_reflection_is_not_seen_even_with_the_scope(client_as, world) -> None:
    _turn_on_reflections(world)
    services.save_reflection(world.owner, "loop", SECRET)
    page = _client_page(client_as, world).content.decode()
    assert SECRET not in page
    assert "Nothing has been shared yet." in page


def test_shared_only_by_choice_and_can_be_taken_back(client_as, world) -> None:
    _turn_on_reflections(world)
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    owner = client_as("owner")
    share_url = reverse("learn:reflection-share", kwargs={"pk": reflection.pk})

    assert owner.post(share_url, {"shared": "on"}).status_code == 302
    reflection.refresh_from_db()
    assert reflection.shared and reflection.shared_at is not None
    before = AccessLog.objects.count()
    page = _client_page(client_as, world).content.decode()
    assert SECRET in page
    log = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert (log.scope, log.viewer_id, log.owner_id) == ("reflections", world.therapist.pk, world.owner.pk)

    owner.post(share_url, {"shared": ""})
    reflection.refresh_from_db()
    assert not reflection.shared and reflection.shared_at is None
    assert SECRET not in _client_page(client_as, world).content.decode()


def test_shared_reflection_needs_the_scope(client_as, world) -> None:
    services.save_reflection(world.owner, "loop", SECRET, shared=True)
    # The default therapist scopes leave free text off.
    assert _client_page(client_as, world).status_code == 404  # one answer for "not yours" (issue 16 item 6)
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("persona", ["partner", "unlinked", "other_therapist", "clinic_admin", "therapist_no_mfa"])
def test_nobody_else_sees_shared_reflections(client_as, world, persona: str) -> None:
    _turn_on_reflections(world)
    services.save_reflection(world.owner, "loop", SECRET, shared=True)
    response = _client_page(client_as, world, persona)
    assert response.status_code in (403, 404)
    assert SECRET not in response.content.decode()


def test_no_names_or_emails_on_the_therapist_page(client_as, world) -> None:
    _turn_on_reflections(world)
    services.save_reflection(world.owner, "loop", SECRET, shared=True)
    page = _client_page(client_as, world).content.decode()
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert SECRET in main
    assert world.owner.email not in page
    assert "Sam" not in main


def test_a_person_cannot_touch_someone_elses_reflection(client_as, world) -> None:
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    for persona in ("partner", "therapist"):
        c = client_as(persona)
        assert c.post(reverse("learn:reflection-share", kwargs={"pk": reflection.pk}), {"shared": "on"}).status_code == 404
        assert c.post(reverse("learn:reflection-delete", kwargs={"pk": reflection.pk})).status_code == 404
    reflection.refresh_from_db()
    assert not reflection.shared


def test_delete_own_reflection(client_as, world) -> None:
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    assert client_as("owner").post(reverse("learn:reflection-delete", kwargs={"pk": reflection.pk})).status_code == 302
    assert not Reflection.objects.filter(pk=reflection.pk).exists()


def test_empty_reflection_shows_a_field_error(client_as, world) -> None:
    response = client_as("owner").post(reverse("learn:reflection-save", kwargs={"slug": "loop"}), {"text": "   "})
    assert response.status_code == 422
    assert "Write something first" in response.content.decode()
    assert Reflection.objects.count() == 0


def test_too_long_reflection_shows_a_field_error(client_as, world) -> None:
    response = client_as("owner").post(reverse("learn:reflection-save", kwargs={"slug": "loop"}), {"text": "a" * 4001})
    assert response.status_code == 422
    assert "under 4000 characters" in response.content.decode()


def test_reflection_on_unknown_piece_is_404(client_as, world) -> None:
    assert client_as("owner").post(reverse("learn:reflection-save", kwargs={"slug": "nope"}), {"text": "x"}).status_code == 404


# ---------------------------------------------------------------- screening


def test_every_save_is_screened_after_saving_in_the_same_transaction(world, monkeypatch) -> None:
    calls: list[dict[str, Any]] = []

    class Outcome:
        show_card = False

    def spy(person: Any, text: str, ref: Reflection) -> Outcome:
        calls.append({
            "person": person.pk, "text": text, "ref": ref.pk,
            "saved": Reflection.objects.filter(pk=ref.pk).exists(),
            "atomic": transaction.get_connection().in_atomic_block,
        })
        return Outcome()

    monkeypatch.setattr(services, "_screen", spy)
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    services.update_reflection(reflection, "Changed my mind about it")
    assert [c["text"] for c in calls] == [SECRET, "Changed my mind about it"]
    assert all(c["saved"] and c["atomic"] and c["ref"] == reflection.pk and c["person"] == world.owner.pk for c in calls)


def test_screen_uses_the_safety_service_with_the_learn_source(world, monkeypatch) -> None:
    seen: list[tuple[Any, ...]] = []

    class Outcome:
        show_card = False

    def fake(person: Any, source: str, text: str, ref: Any = None, **kwargs: Any) -> Outcome:
        seen.append((person.pk, source, text, ref.pk if ref else None))
        return Outcome()

    monkeypatch.setattr(safety_services, "check_text_and_respond", fake)
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    assert seen == [(world.owner.pk, "learn.reflection", SECRET, reflection.pk)]


def test_a_risky_reflection_is_kept_and_crisis_help_shown_in_the_same_response(client_as, world) -> None:
    text = "I don't want to be alive anymore, I want to kill myself"
    response = client_as("owner").post(reverse("learn:reflection-save", kwargs={"slug": "loop"}), {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    main = page.split('<main id="main"', 1)[1]
    assert 'href="tel:988"' in main
    assert Reflection.objects.get(person=world.owner).text == text


def test_a_calm_reflection_shows_no_crisis_card(client_as, world) -> None:
    response = client_as("owner").post(reverse("learn:reflection-save", kwargs={"slug": "loop"}),
                                       {"text": "Tonight felt a little easier."}, follow=True)
    main = response.content.decode().split('<main id="main"', 1)[1]
    assert 'href="tel:988"' not in main
    assert "Saved. Only you can see this." in main


def test_models_are_in_the_privacy_registry() -> None:
    from nearer.privacy import registry

    assert registry.OWNED["learn.reflection"].owner_path == "person"
    assert registry.OWNED["learn.readmark"].owner_path == "person"


def test_sharing_says_so_when_no_therapist_can_see_it_yet(client_as, world) -> None:
    reflection, _ = services.save_reflection(world.owner, "loop", SECRET)
    url = reverse("learn:reflection-share", kwargs={"pk": reflection.pk})
    page = client_as("owner").post(url, {"shared": "on"}, follow=True).content.decode()
    assert "No therapist sees it until you turn on" in page
    _turn_on_reflections(world)
    client_as("owner").post(url, {"shared": ""})
    page = client_as("owner").post(url, {"shared": "on"}, follow=True).content.decode()
    assert "Shared with your therapist. You can stop sharing at any time." in page
