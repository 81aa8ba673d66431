"""AES-256-GCM encryption of free text with a key ring taken from the environment.

``NEARER_ENCRYPTION_KEYS`` holds ``kid:base64key`` pairs separated by commas. The first key
encrypts; every key decrypts values that name it. Keys never touch the database. A stored value
looks like ``enc1:<kid>:<base64(nonce || ciphertext+tag)>``; the associated data binds a value to
its table and column, so a ciphertext copied into another field will not decrypt.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be decrypted (unknown key id, tampering or wrong field)."""


@dataclass(frozen=True)
class KeyRing:
    active_id: str
    keys: dict[str, bytes]

    def encrypt(self, plaintext: str, aad: bytes) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active_id]).encrypt(nonce, plaintext.encode("utf-8"), aad)
        return f"{PREFIX}:{self.active_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str, aad: bytes) -> str:
        try:
            prefix, kid, payload = stored.split(":", 2)
        except ValueError:
            raise DecryptionError("not an encrypted value") from None
        if prefix != PREFIX:
            raise DecryptionError("not an encrypted value")
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"no key with id {kid!r} in the key ring")
        raw = base64.b64decode(payload)
        try:
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad).decode("utf-8")
        except InvalidTag:
            raise DecryptionError("the value failed authentication") from None

    @staticmethod
    def key_id_of(stored: str) -> str | None:
        parts = stored.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def parse_key_ring(spec: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for chunk in spec.split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        if ":" not in chunk:
            raise ImproperlyConfigured("NEARER_ENCRYPTION_KEYS entries must look like kid:base64key.")
        kid, b64 = chunk.split(":", 1)
        try:
            key = base64.b64decode(b64, validate=True)
        except ValueError:
            raise ImproperlyConfigured(f"Key {kid!r} in NEARER_ENCRYPTION_KEYS is not valid base64.") from None
        if len(key) != 32:
            raise ImproperlyConfigured(f"Key {kid!r} must be 32 bytes (AES-256), not {len(key)}.")
        if kid in keys:
            raise ImproperlyConfigured(f"Key id {kid!r} appears twice in NEARER_ENCRYPTION_KEYS.")
        keys[kid] = key
        order.append(kid)
    if not order:
        raise ImproperlyConfigured("NEARER_ENCRYPTION_KEYS holds no key.")
    return KeyRing(active_id=order[0], keys=keys)


def generate_key_spec(kid: str | None = None) -> str:
    kid = kid or "k" + secrets.token_hex(3)
    return f"{kid}:{base64.b64encode(secrets.token_bytes(32)).decode('ascii')}"


def _dev_key_spec() -> str:
    # The embedded default keeps a generated key in var/, outside the database, so a newcomer
    # needs no set-up. Production refuses to start without NEARER_ENCRYPTION_KEYS.
    path = Path(settings.VAR_DIR) / "dev-encryption-keys"
    if not path.exists():
        from nearer.privacy.files import create_owner_only

        # Created 0600 from the start: never a moment in which another local user could read it.
        create_owner_only(path, generate_key_spec("dev1") + "\n")
    else:
        from nearer.privacy.files import narrow

        narrow(path)
    return path.read_text().strip()


@lru_cache(maxsize=1)
def key_ring() -> KeyRing:
    spec = settings.NEARER_ENCRYPTION_KEYS or ""
    if not spec:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("NEARER_ENCRYPTION_KEYS is required in production.")
        spec = _dev_key_spec()
    return parse_key_ring(spec)


def reset_key_ring_cache() -> None:
    key_ring.cache_clear()
