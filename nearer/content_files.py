"""Content kept as YAML files a clinician can read and change without reading Python.

The Together prompt bank (``nearer/together/prompts/*.yaml``) and the practice suggestion bank
(``nearer/practice/suggestions/*.yaml``) read their files through :func:`load`. Every problem is
reported as one sentence that starts with the file's path and names the entry, so ``nearer check``
(run by ``migrate`` and ``serve`` too, see :mod:`nearer.content_checks`) points at the line to fix.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any, TypeVar

import yaml

LANGS: tuple[str, ...] = ("en", "es")
DEFAULT_LANG = "en"
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}

T = TypeVar("T")


def normalise_lang(lang: str | None) -> str:
    """Map ``"es-US"``, ``"es_MX"``, ``"ES"`` to ``"es"``; anything unknown to English."""
    if not lang:
        return DEFAULT_LANG
    base = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return base if base in LANGS else DEFAULT_LANG


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, except that a key given twice in one block is an error (not "last wins")."""


def _mapping_without_repeats(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{key}' is given twice in the same entry", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)


def path_of(package: str, name: str) -> str:
    """The file's path from the project root, as a reader of the error message would look for it."""
    return f"{package.replace('.', '/')}/{name}"


def read(package: str, name: str, error: type[ValueError]) -> Any:
    where = path_of(package, name)
    try:
        raw = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{where}: the file is missing") from None
    try:
        return yaml.load(raw, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise error(f"{where}{line}: {problem} (check the quotes and the indentation there)") from None


def load(package: str, name: str, error: type[ValueError], validate: Callable[[Any], T]) -> T:
    """Read ``name`` from ``package`` and validate it; any problem names the file first."""
    doc = read(package, name, error)
    try:
        return validate(doc)
    except error as exc:
        raise error(f"{path_of(package, name)}: {exc}") from None


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields in a text (raises ValueError on an unbalanced brace)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def text_pair(where: str, item: Any, error: type[ValueError], en_key: str = "en", es_key: str = "es",
              allowed: frozenset[str] = frozenset()) -> tuple[str, str]:
    """``item[en_key]`` and ``item[es_key]``: both present, both real text, the Spanish not a copy,
    and the same ``{placeholders}`` (only those in ``allowed``) in both."""
    if not isinstance(item, Mapping):
        raise error(f"{where}: expected '{en_key}' and '{es_key}' lines under it")
    texts = []
    for lang, key in (("en", en_key), ("es", es_key)):
        text = item.get(key)
        if not isinstance(text, str) or not text.strip():
            raise error(f"{where}: the {LANGUAGE_NAMES[lang]} text '{key}' is missing or empty "
                        "(write it between double quotes)")
        try:
            fields = placeholders(text)
        except ValueError:
            raise error(f"{where}: '{key}' has a curly bracket without its pair") from None
        if fields - allowed:
            allowed_words = ", ".join("{" + a + "}" for a in sorted(allowed)) or "none"
            raise error(f"{where}: '{key}' has placeholders {sorted(fields - allowed)}; allowed here: {allowed_words}")
        texts.append(text)
    en, es = texts
    if en.strip() == es.strip():
        raise error(f"{where}: the Spanish text '{es_key}' is a copy of the English; translate it")
    if placeholders(en) != placeholders(es):
        raise error(f"{where}: '{en_key}' and '{es_key}' use different placeholders")
    return en, es
