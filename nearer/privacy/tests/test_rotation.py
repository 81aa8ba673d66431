import pytest
from django.db import connection

from nearer.accounts.models import User
from nearer.privacy import crypto
from nearer.privacy.rotation import rotate_all

K_NEW = "k3:" + "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleSE="


@pytest.fixture
def rotated_settings(settings):
    old = settings.NEARER_ENCRYPTION_KEYS
    yield settings
    settings.NEARER_ENCRYPTION_KEYS = old
    crypto.reset_key_ring_cache()


@pytest.mark.django_db
def test_rotate_keys_reencrypts_everything_with_no_failures(world, rotated_settings):
    world.owner.display_name = "Canary-rotation-name"
    world.owner.save()
    rotated_settings.NEARER_ENCRYPTION_KEYS = K_NEW + "," + rotated_settings.NEARER_ENCRYPTION_KEYS
    crypto.reset_key_ring_cache()
    report = rotate_all()
    assert report.failures == 0 and report.rewritten >= 1 and report.active_id == "k3"
    with connection.cursor() as cursor:
        cursor.execute("SELECT display_name FROM accounts_user WHERE display_name <> ''")
        values = [row[0] for row in cursor.fetchall()]
    assert values and all(v.startswith("enc1:k3:") for v in values)
    assert User.objects.get(pk=world.owner.pk).display_name == "Canary-rotation-name"
    # Second factors were re-encrypted too and still decrypt.
    from allauth.mfa.models import Authenticator

    from nearer.accounts.adapter import MFAAdapter

    for auth in Authenticator.objects.all():
        for key in ("secret", "seed"):
            if key in auth.data:
                assert auth.data[key].startswith("enc1:k3:")
                assert MFAAdapter().decrypt(auth.data[key])
    # Running again rewrites nothing.
    assert rotate_all().rewritten == 0
