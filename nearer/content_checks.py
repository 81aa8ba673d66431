"""Start-up checks for content kept as data files (Together prompts, practice suggestions).

A clinician can edit the YAML files in ``nearer/together/prompts/`` and ``nearer/practice/suggestions/``
without reading Python (docs/content-style.md says how); a mistake there must stop ``nearer check``,
``nearer migrate`` and ``nearer serve`` with a message naming the file and the entry, not surface
later as a broken page.
"""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register("nearer")
def content_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from nearer.practice import suggestion_bank
    from nearer.together import prompt_bank

    errors: list[checks.CheckMessage] = []
    for name, bank in (("Together prompts", prompt_bank), ("Practice suggestions", suggestion_bank)):
        try:
            bank.validate_all()
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(checks.Error(f"{name}: {exc}", id="nearer.E100"))
    return errors
