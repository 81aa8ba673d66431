"""Model fields that store free text only as AES-256-GCM ciphertext."""

from __future__ import annotations

from typing import Any

from django.db import models

from nearer.privacy.crypto import key_ring


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted before it reaches the database.

    The empty string is stored as the empty string (it carries nothing personal), so optional
    notes stay cheap. Encrypted values cannot be searched or ordered in SQL, by design.
    """

    description = "Text encrypted with AES-256-GCM"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def aad(self) -> bytes:
        return f"{self.model._meta.label_lower}.{self.attname}".encode()

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return key_ring().encrypt(str(value), self.aad())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return key_ring().decrypt(value, self.aad())

    def get_internal_type(self) -> str:
        return "TextField"


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
