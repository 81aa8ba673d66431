"""The Learn library: Markdown pieces with front matter, loaded once and rendered safely.

Each piece lives twice, ``content/en/<slug>.md`` and ``content/es/<slug>.md``. Rendering never lets
raw HTML from a file through: markdown-it runs with HTML disabled and only http(s) links, and its
output then passes through nh3 with a short allow-list as a second guard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter
import nh3
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "es")
FALLBACK_LANGUAGE = "en"

# The tools that link a piece, and the piece each one links. Other apps pass these keys to
# ``{% learn_link "<tool>" %}``.
TOOL_PIECES: dict[str, str] = {
    "loop": "loop",
    "checkin": "sleep-routine-mood",
    "measures": "uneven-progress",
    "safety_plan": "help-now",
    "formulation": "unsafe-closeness",
    "ladder": "small-steps",
    "experiments": "experiments",
    "present_or_past": "present-or-past",
    "together": "talking-personally",
    "clinic_directory": "finding-care",
}
KNOWN_TOOLS = frozenset(TOOL_PIECES) | {"none"}

# How the list page groups the pieces, in order. A piece missing here lands in "More to read".
GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("loop", _("Distance and low mood"), ("loop", "unsafe-closeness", "guarded", "present-or-past")),
    ("steps", _("Taking small steps"), ("small-steps", "experiments", "talking-personally")),
    ("care", _("Looking after yourself"), ("sleep-routine-mood", "uneven-progress", "what-helps")),
    ("partners", _("For partners"), ("for-partners-support", "for-partners-safety")),
    ("help", _("Help and care"), ("help-now", "finding-care", "what-nearer-is")),
]
OTHER_GROUP_LABEL = _("More to read")

_ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "hr", "br",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


@dataclass(frozen=True)
class Piece:
    slug: str
    language: str
    title: str
    reading_minutes: int
    related_tool: str
    audience: str
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    body: str
    html: str


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _safe_link  # type: ignore[method-assign]

    def link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        tokens[idx].attrSet("rel", "noopener noreferrer")
        return str(self.renderToken(tokens, idx, options, env))

    md.add_render_rule("link_open", link_open)
    # Images from content are not allowed: render their alt text only.
    md.disable("image")
    return md


_MD = _markdown()


def render_markdown(text: str) -> str:
    """Markdown to HTML with no raw HTML, only http(s) links, then cleaned again by nh3."""
    html = _MD.render(text)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value)


def _load_file(path: Path) -> Piece:
    post = frontmatter.load(str(path))
    meta = post.metadata
    return Piece(
        slug=str(meta.get("slug") or path.stem),
        language=str(meta.get("language") or path.parent.name),
        title=str(meta.get("title") or path.stem),
        reading_minutes=int(meta.get("reading_minutes") or 4),  # type: ignore[call-overload]
        related_tool=str(meta.get("related_tool") or "none"),
        audience=str(meta.get("audience") or "everyone"),
        topics=_strings(meta.get("topics")),
        sources=_strings(meta.get("sources")),
        body=post.content,
        html=render_markdown(post.content),
    )


def content_dir() -> Path:
    return Path(getattr(settings, "NEARER_LEARN_CONTENT_DIR", "") or DEFAULT_CONTENT_DIR)


@lru_cache(maxsize=4)
def _library(root: str) -> dict[str, dict[str, Piece]]:
    out: dict[str, dict[str, Piece]] = {}
    for lang in LANGUAGES:
        pieces = [_load_file(p) for p in sorted((Path(root) / lang).glob("*.md"))]
        out[lang] = {p.slug: p for p in pieces}
    return out


def library() -> dict[str, dict[str, Piece]]:
    """Every piece by language and slug (loaded once per content directory)."""
    return _library(str(content_dir()))


def clear_cache() -> None:
    _library.cache_clear()


def active_language(language: str | None = None) -> str:
    code = (language or get_language() or FALLBACK_LANGUAGE).lower().split("-")[0]
    return code if code in LANGUAGES else FALLBACK_LANGUAGE


def slugs() -> list[str]:
    """Slugs in the order the list page shows them (grouped order, then the rest by name)."""
    lib = library()
    known = set(lib.get(FALLBACK_LANGUAGE, {})) | {s for pieces in lib.values() for s in pieces}
    ordered = [s for _key, _label, group in GROUPS for s in group if s in known]
    return ordered + sorted(known - set(ordered))


def get_piece(slug: str, language: str | None = None) -> Piece | None:
    """The piece in the active language, else in English, else ``None``."""
    lib = library()
    lang = active_language(language)
    return lib.get(lang, {}).get(slug) or lib.get(FALLBACK_LANGUAGE, {}).get(slug)


def all_pieces(language: str | None = None) -> list[Piece]:
    out = []
    for slug in slugs():
        piece = get_piece(slug, language)
        if piece is not None:
            out.append(piece)
    return out


def piece_for(key: str, language: str | None = None) -> Piece | None:
    """A piece for a tool key (``"loop"``, ``"safety_plan"``) or a slug."""
    slug = TOOL_PIECES.get(key, key)
    return get_piece(slug, language)


def grouped(pieces: Iterable[Piece]) -> list[dict[str, Any]]:
    by_slug = {p.slug: p for p in pieces}
    groups: list[dict[str, Any]] = []
    placed: set[str] = set()
    for key, label, members in GROUPS:
        items = [by_slug[s] for s in members if s in by_slug]
        placed.update(s for s in members if s in by_slug)
        if items:
            groups.append({"key": key, "label": label, "pieces": items})
    rest = [p for s, p in by_slug.items() if s not in placed]
    if rest:
        groups.append({"key": "more", "label": OTHER_GROUP_LABEL, "pieces": rest})
    return groups
