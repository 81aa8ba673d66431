import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from nearer.privacy.crypto import DecryptionError, KeyRing, generate_key_spec, parse_key_ring

K1 = base64.b64encode(b"1" * 32).decode()
K2 = base64.b64encode(b"2" * 32).decode()


def test_round_trip_and_format():
    ring = parse_key_ring(f"a:{K1},b:{K2}")
    stored = ring.encrypt("I felt far away tonight", b"diary.checkin.note")
    assert stored.startswith("enc1:a:")
    assert "far away" not in stored
    assert ring.decrypt(stored, b"diary.checkin.note") == "I felt far away tonight"


def test_same_text_encrypts_differently_each_time():
    ring = parse_key_ring(f"a:{K1}")
    assert ring.encrypt("same", b"x") != ring.encrypt("same", b"x")


def test_ciphertext_is_bound_to_its_field():
    ring = parse_key_ring(f"a:{K1}")
    stored = ring.encrypt("secret", b"app.model.note")
    with pytest.raises(DecryptionError):
        ring.decrypt(stored, b"app.model.other")


def test_tampering_is_detected():
    ring = parse_key_ring(f"a:{K1}")
    stored = ring.encrypt("secret", b"x")
    prefix, kid, payload = stored.split(":")
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(DecryptionError):
        ring.decrypt(f"{prefix}:{kid}:{base64.b64encode(bytes(raw)).decode()}", b"x")


def test_old_keys_still_decrypt_and_unknown_key_fails():
    old = parse_key_ring(f"a:{K1}")
    stored = old.encrypt("hello", b"x")
    rotated = parse_key_ring(f"b:{K2},a:{K1}")
    assert rotated.active_id == "b"
    assert rotated.decrypt(stored, b"x") == "hello"
    with pytest.raises(DecryptionError):
        parse_key_ring(f"b:{K2}").decrypt(stored, b"x")
    assert KeyRing.key_id_of(stored) == "a"


@pytest.mark.parametrize(
    "spec",
    ["", "nocolon", f"a:{base64.b64encode(b'short').decode()}", f"a:{K1},a:{K2}", "a:not base64!!"],
)
def test_bad_key_rings_fail_loudly(spec):
    with pytest.raises(ImproperlyConfigured):
        parse_key_ring(spec)


def test_generated_keys_are_valid():
    ring = parse_key_ring(generate_key_spec("new"))
    assert ring.active_id == "new"
    assert len(ring.keys["new"]) == 32
