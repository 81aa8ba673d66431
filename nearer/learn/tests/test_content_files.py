"""Checks on the Learn library's Markdown files (no Django needed).

Every piece lives twice, ``content/en/<slug>.md`` and ``content/es/<slug>.md``, with YAML front
matter. These tests hold the rules from ``docs/content-style.md`` that a machine can check: the
front matter, the reading time, no raw HTML, no outside links, and crisis numbers exactly as the
US services publish them.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content"
LANGUAGES = ("en", "es")

EXPECTED_KEYS = {
    "title",
    "slug",
    "language",
    "reading_minutes",
    "related_tool",
    "audience",
    "topics",
    "sources",
}
RELATED_TOOLS = {
    "loop",
    "checkin",
    "measures",
    "safety_plan",
    "formulation",
    "ladder",
    "experiments",
    "present_or_past",
    "together",
    "clinic_directory",
    "none",
}
AUDIENCES = {"person", "partner", "everyone"}
# The shared tag vocabulary used to match pieces to what a person is working on.
TOPICS = {
    "distance",
    "mood",
    "closeness",
    "fear",
    "rejection",
    "past",
    "steps",
    "experiments",
    "conversation",
    "partner",
    "safety",
    "crisis",
    "sleep",
    "routine",
    "progress",
    "therapy",
    "medication",
    "activity",
    "privacy",
    "care",
}
# Words per minute for an unhurried reader; reading_minutes must fall inside this band.
MIN_WPM = 150
MAX_WPM = 230

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RAW_HTML_RE = re.compile(r"<[A-Za-z/!]")
# A one-digit menu choice ("press 2", "marca el 2"); "dial 988" is a number, not a menu choice.
PRESS_RE = re.compile(
    r"\b(?:press|dial|marca|marcar|marque|oprime|oprimir|oprima|presiona|presionar|pulsa|pulsar)"
    r"\s+(?:el\s+|la\s+tecla\s+|the\s+)?(\d)(?!\d)",
    re.IGNORECASE,
)
# Digits joined by dashes or dots count as one number, so "1-800-273-8255" is caught whole.
DIGIT_RUN_RE = re.compile(r"\d+(?:[-.]\d+)*")
# 988, 741741 and 911, and the National Domestic Violence Hotline (issue 14): call 1-800-799-7233,
# TTY 1-800-787-3224, text START to 88788. 442-AYUDAME (Crisis Text Line on WhatsApp) is checked whole.
ALLOWED_NUMBERS = {"988", "741741", "911", "18007997233", "18007873224", "88788"}
DOMAIN_RE = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|gov|io|edu|us|info|app)\b", re.IGNORECASE)
ALLOWED_DOMAINS = {"988lifeline.org", "988lineadevida.org", "thehotline.org"}
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)


def _all_files() -> list[Path]:
    return sorted(p for lang in LANGUAGES for p in (CONTENT_DIR / lang).glob("*.md"))


def _slugs(lang: str) -> set[str]:
    return {p.stem for p in (CONTENT_DIR / lang).glob("*.md")}


def _load(path: Path) -> frontmatter.Post:
    return frontmatter.load(str(path))


def _word_count(markdown: str) -> int:
    text = re.sub(r"^#+\s*", "", markdown, flags=re.MULTILINE)
    return len(WORD_RE.findall(text))


ALL_FILES = _all_files()
IDS = [f"{p.parent.name}/{p.stem}" for p in ALL_FILES]


def test_library_has_enough_pieces() -> None:
    assert len(_slugs("en")) >= 12


def test_every_slug_exists_in_both_languages() -> None:
    assert _slugs("en") == _slugs("es")


def test_crisis_pieces_exist() -> None:
    for slug in ("help-now", "for-partners-safety", "what-nearer-is"):
        assert slug in _slugs("en"), slug


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_front_matter_is_valid(path: Path) -> None:
    post = _load(path)
    meta = post.metadata
    assert set(meta) == EXPECTED_KEYS
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert meta["slug"] == path.stem
    assert SLUG_RE.match(meta["slug"])
    assert meta["language"] == path.parent.name
    assert isinstance(meta["reading_minutes"], int)
    assert 3 <= meta["reading_minutes"] <= 5
    assert meta["related_tool"] in RELATED_TOOLS
    assert meta["audience"] in AUDIENCES
    topics = meta["topics"]
    assert isinstance(topics, list) and topics
    assert set(topics) <= TOPICS, set(topics) - TOPICS
    sources = meta["sources"]
    assert isinstance(sources, list) and len(sources) >= 1
    for source in sources:
        assert isinstance(source, str) and len(source) > 20
        # Sources are plain citations: no invented DOIs or links.
        assert "doi" not in source.lower()
        assert "http" not in source.lower()


@pytest.mark.parametrize("slug", sorted(_slugs("en")))
def test_languages_share_tool_audience_topics_and_sources(slug: str) -> None:
    en = _load(CONTENT_DIR / "en" / f"{slug}.md").metadata
    es_path = CONTENT_DIR / "es" / f"{slug}.md"
    assert es_path.exists()
    es = _load(es_path).metadata
    for key in ("related_tool", "audience", "topics", "sources"):
        assert en[key] == es[key], key


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_reading_time_matches_length(path: Path) -> None:
    post = _load(path)
    words = _word_count(post.content)
    minutes = post.metadata["reading_minutes"]
    assert MIN_WPM * minutes <= words <= MAX_WPM * minutes, (words, minutes)
    assert 450 <= words <= 1150, words


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_body_shape(path: Path) -> None:
    body = _load(path).content
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert len(headings) >= 2
    # The page renders the title from front matter and sources from front matter.
    assert not re.search(r"^# ", body, flags=re.MULTILINE)
    assert not re.search(r"^#+\s*(sources|fuentes)\b", body, flags=re.MULTILINE | re.IGNORECASE)
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip() and not p.startswith("#")]
    for paragraph in paragraphs:
        # A bulleted list is one block; each of its items counts as its own paragraph.
        for chunk in re.split(r"\n(?=[-*] )", paragraph):
            assert _word_count(chunk) <= 110, chunk[:60]
    # Ends with an invitation to reflect.
    assert paragraphs[-1].rstrip().endswith("?")
    if path.parent.name == "es":
        assert "¿" in paragraphs[-1]


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_no_raw_html(path: Path) -> None:
    post = _load(path)
    assert not RAW_HTML_RE.search(post.content)
    for value in post.metadata.values():
        assert not RAW_HTML_RE.search(str(value))


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_no_outside_links(path: Path) -> None:
    body = _load(path).content
    assert "http" not in body.lower()
    assert "www." not in body.lower()
    assert not re.search(r"\]\(", body), "no Markdown links in the body"
    for domain in DOMAIN_RE.findall(body):
        assert domain.lower() in ALLOWED_DOMAINS, domain


@pytest.mark.parametrize("path", ALL_FILES, ids=IDS)
def test_crisis_numbers_are_exact(path: Path) -> None:
    body = _load(path).content
    assert "press 3" not in body.lower()
    for match in PRESS_RE.finditer(body):
        assert match.group(1) in {"1", "2"}, match.group(0)
    for run in DIGIT_RUN_RE.findall(body.replace("442-AYUDAME", "")):
        digits = re.sub(r"\D", "", run)
        if len(digits) >= 3:
            assert digits in ALLOWED_NUMBERS, run
    if "741741" in body:
        # English: HOME to 741741. Spanish: AYUDA to 741741 (HOME reaches English-speaking counsellors).
        word = "AYUDA" if path.parent.name == "es" else "HOME"
        assert re.search(rf"\b{word}\b.{{0,40}}741741", body, flags=re.DOTALL), f"Crisis Text Line keyword is {word}"
        assert not (path.parent.name == "es" and "HOME" in body), "no HOME route in Spanish"
    if "88788" in body:
        assert re.search(r"\bSTART\b.{0,40}88788", body, flags=re.DOTALL), "Hotline text keyword is START"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_now_gives_every_route(lang: str) -> None:
    body = _load(CONTENT_DIR / lang / "help-now.md").content
    needles = ("988", "988lineadevida.org", "741741", "AYUDA", "911") if lang == "es" else (
        "988", "988lifeline.org", "741741", "HOME", "911")
    for needle in needles:
        assert needle in body, needle
    presses = {m.group(1) for m in PRESS_RE.finditer(body)}
    assert presses == {"1", "2"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_partner_safety_gives_every_route(lang: str) -> None:
    body = _load(CONTENT_DIR / lang / "for-partners-safety.md").content
    for needle in ("988", "741741", "AYUDA" if lang == "es" else "HOME", "911"):
        assert needle in body, needle


def test_word_counter() -> None:
    assert _word_count("## Hola\n\nYou're not alone — it’s fine, 988.") == 7
    assert _word_count("¿Qué tal?") == 2
