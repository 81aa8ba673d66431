import pytest

from nearer.accounts import services
from nearer.privacy import access
from nearer.privacy.models import AccessLog, ReadOnlyRow

pytestmark = pytest.mark.django_db


def test_owner_reads_own_data_without_a_log_row(world):
    access.read(world.owner, world.owner, "checkins", "test")
    assert AccessLog.objects.count() == 0


def test_linked_therapist_read_writes_exactly_one_row(world):
    access.read(world.therapist, world.owner, "measures", "measures:client-detail")
    rows = list(AccessLog.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert (row.viewer, row.owner, row.scope, row.what, row.link_kind) == (
        world.therapist, world.owner, "measures", "measures:client-detail", "therapist")
    assert row.link == world.objects["link_owner_therapist"]


@pytest.mark.parametrize("persona", ["unlinked", "other_therapist", "clinic_admin", "therapist_no_mfa"])
def test_people_without_a_valid_link_are_denied(world, persona):
    with pytest.raises(access.AccessDenied):
        access.read(world.user(persona), world.owner, "measures", "x")
    assert AccessLog.objects.count() == 0


def test_therapist_without_second_factor_is_denied_with_reason(world):
    with pytest.raises(access.AccessDenied) as exc:
        access.read(world.therapist_no_mfa, world.owner, "measures", "x")
    assert exc.value.reason == "mfa_required"


def test_partner_defaults_exclude_everything_but_revealed_ratings(world):
    for scope in ["measures", "checkins", "checkin_notes", "safety_plan", "practice_entries", "loop"]:
        assert not access.can_read(world.partner, world.owner, scope)
    assert access.can_read(world.partner, world.owner, "together_ratings")


def test_scope_change_and_revocation_apply_on_the_next_read(world):
    link = world.objects["link_owner_therapist"]
    access.read(world.therapist, world.owner, "measures", "x")
    services.set_link_scopes(world.owner, link.pk, ["checkins"])
    with pytest.raises(access.AccessDenied):
        access.read(world.therapist, world.owner, "measures", "x")
    access.read(world.therapist, world.owner, "checkins", "x")
    services.revoke_link(world.owner, link.pk)
    with pytest.raises(access.AccessDenied):
        access.read(world.therapist, world.owner, "checkins", "x")


def test_share_changes_are_recorded_for_the_person(world):
    from nearer.privacy.models import ShareEvent

    link = world.objects["link_owner_therapist"]
    services.set_link_scopes(world.owner, link.pk, ["checkins"])
    services.revoke_link(world.owner, link.pk)
    actions = list(ShareEvent.objects.filter(owner=world.owner).values_list("action", flat=True))
    assert actions[:2] == ["revoked", "scopes_changed"]


def test_unknown_scope_is_a_programming_error(world):
    with pytest.raises(KeyError):
        access.read(world.therapist, world.owner, "diaries", "x")


def test_access_log_rows_cannot_be_edited_or_deleted(world):
    access.read(world.therapist, world.owner, "measures", "x")
    row = AccessLog.objects.get()
    row.what = "changed"
    with pytest.raises(ReadOnlyRow):
        row.save()
    with pytest.raises(ReadOnlyRow):
        row.delete()
    assert AccessLog.objects.get().what == "x"


def test_owners_sharing_lists_only_people_who_share_the_scope(world):
    assert access.owners_sharing(world.therapist, "measures") == [world.owner]
    assert access.owners_sharing(world.therapist_no_mfa, "measures") == []
    assert access.owners_sharing(world.partner, "measures") == []


def test_access_log_page_shows_reads_to_the_owner_only(world, client_as):
    access.read(world.therapist, world.owner, "measures", "measures:client-detail")
    page = client_as("owner").get("/me/access-log/").content.decode()
    assert "Dr. Rivera" in page and "Questionnaire results" in page and "Therapist, on the web" in page
    # In the person's words, not internal names of scopes and pages.
    assert "measures:client-detail" not in page and "(measures)" not in page
    assert "Questionnaire results" not in client_as("partner").get("/me/access-log/").content.decode()


def test_access_log_page_reads_in_spanish_and_in_the_owners_time_zone(world, client_as):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from nearer.privacy.models import AccessLog

    access.read(world.therapist, world.owner, "measures", "measures:client-detail")
    AccessLog.objects.update(at=datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC")))
    world.owner.timezone = "America/New_York"
    world.owner.save(update_fields=["timezone"])
    page = client_as("owner").get("/me/access-log/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Resultados de cuestionarios" in page
    assert "Terapeuta, en la web" in page
    assert "1 mar 2026, 20:30" in page  # 01:30 UTC on 2 March is 20:30 on 1 March in New York (Spanish dates)
