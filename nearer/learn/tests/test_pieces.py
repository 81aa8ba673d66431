"""Loading, safe rendering, language fallback, tool links and the pages that show pieces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from nearer.learn import content

REQUIRED_TOOLS = {
    "loop", "checkin", "measures", "safety_plan", "formulation", "ladder", "experiments",
    "present_or_past", "together", "clinic_directory",
}


@pytest.fixture
def fresh_library() -> Iterator[None]:
    content.clear_cache()
    yield
    content.clear_cache()


def _write(root: Path, lang: str, slug: str, body: str, title: str = "A test piece") -> None:
    (root / lang).mkdir(parents=True, exist_ok=True)
    (root / lang / f"{slug}.md").write_text(
        "---\n"
        f'title: "{title}"\n'
        f"slug: {slug}\n"
        f"language: {lang}\n"
        "reading_minutes: 3\n"
        "related_tool: loop\n"
        "audience: person\n"
        "topics: [mood]\n"
        "sources:\n"
        '  - "Someone, A. (2020). A made-up source for this test only. Journal of Tests, 1, 1-2."\n'
        "---\n\n" + body,
        encoding="utf-8",
    )


@pytest.fixture
def hostile_library(tmp_path: Path, settings, fresh_library: None, db: None) -> Path:
    body = (
        "## Hello\n\n"
        "<script>alert('x')</script>\n\n"
        "A paragraph with <img src=x onerror=alert(1)> and <b onclick=\"steal()\">bold</b>.\n\n"
        "[bad link](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=) and "
        "[good link](https://example.org/page).\n\n"
        "<iframe src=\"https://evil.example\"></iframe>\n\n"
        "Is that safe?\n"
    )
    _write(tmp_path, "en", "hostile", body, title="<script>alert('title')</script>")
    _write(tmp_path, "en", "english-only", "## Only English\n\nThis one has no Spanish yet.\n\nWhat now?\n",
           title="English only piece")
    _write(tmp_path, "es", "hostile", body, title="Pieza hostil")
    settings.NEARER_LEARN_CONTENT_DIR = str(tmp_path)
    content.clear_cache()
    return tmp_path


# ---------------------------------------------------------------- the real library


def test_every_piece_exists_in_both_languages() -> None:
    lib = content.library()
    assert set(lib["en"]) == set(lib["es"])
    assert len(lib["en"]) >= 12
    for slug in lib["en"]:
        assert lib["en"][slug].language == "en"
        assert lib["es"][slug].language == "es"
        assert lib["en"][slug].title != lib["es"][slug].title


@pytest.mark.parametrize("lang", content.LANGUAGES)
def test_every_piece_has_sources_and_renders(lang: str) -> None:
    for piece in content.library()[lang].values():
        assert piece.sources, piece.slug
        assert 3 <= piece.reading_minutes <= 5
        assert piece.html.count("<h2>") >= 2, piece.slug
        assert "<p>" in piece.html
        for bad in ("<script", "<iframe", "<img", "onerror", "javascript:", "<h1"):
            assert bad not in piece.html.lower(), (piece.slug, bad)


def test_every_piece_is_in_a_group() -> None:
    grouped = {s for _key, _label, members in content.GROUPS for s in members}
    assert set(content.library()["en"]) <= grouped
    # No slug is listed twice.
    members = [s for _key, _label, group in content.GROUPS for s in group]
    assert len(members) == len(set(members))


def test_tool_pieces_cover_every_tool() -> None:
    assert set(content.TOOL_PIECES) == REQUIRED_TOOLS
    lib = content.library()["en"]
    for tool, slug in content.TOOL_PIECES.items():
        assert slug in lib, tool
        assert lib[slug].related_tool == tool, (tool, slug)


def test_every_related_tool_in_content_is_a_known_tool() -> None:
    tools = {p.related_tool for lang in content.LANGUAGES for p in content.library()[lang].values()}
    assert tools <= content.KNOWN_TOOLS, tools - content.KNOWN_TOOLS
    # And every tool has at least one piece that names it.
    assert REQUIRED_TOOLS <= tools


@pytest.mark.parametrize("tool", sorted(REQUIRED_TOOLS))
def test_every_tool_links_its_piece(tool: str) -> None:
    # English explicitly: an earlier test in the same worker may have left another language active.
    with translation.override("en"):
        html = Template('{% load learn_tags %}{% learn_link tool %}').render(Context({"tool": tool}))
    piece = content.library()["en"][content.TOOL_PIECES[tool]]
    url = reverse("learn:piece-detail", kwargs={"slug": piece.slug})
    assert f'href="{url}"' in html
    assert f"Read: {piece.title}" in html.replace("&#x27;", "'").replace("&quot;", '"')


def test_learn_link_follows_language_and_accepts_slugs() -> None:
    with translation.override("es"):
        html = Template('{% load learn_tags %}{% learn_link "loop" %}').render(Context())
        assert content.library()["es"]["loop"].title in html
        assert 'lang="' not in html  # the piece is in the active language
        by_slug = Template('{% load learn_tags %}{% learn_link "help-now" %}').render(Context())
        assert content.library()["es"]["help-now"].title in by_slug
    assert Template('{% load learn_tags %}{% learn_link "no-such-tool" %}').render(Context()) == ""


# ---------------------------------------------------------------- safe rendering


def test_render_markdown_drops_raw_html_and_unsafe_links() -> None:
    html = content.render_markdown(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.org) "
        "[z](/relative) <a href=\"https://e.org\" onclick=\"x()\">raw</a>"
    )
    assert "<script" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert 'href="javascript' not in html
    assert 'href="/relative"' not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">y</a>' in html
    # Raw tags appear only as escaped text, never as elements.
    assert "&lt;a href=" in html
    assert not re.search(r"<a[^>]*onclick", html)
    assert '<a href="https://e.org"' not in html


def test_injected_script_in_content_is_escaped_on_the_page(client: Client, hostile_library: Path) -> None:
    response = client.get(reverse("learn:piece-detail", kwargs={"slug": "hostile"}))
    assert response.status_code == 200
    page = response.content.decode()
    body = page.split('<div class="learn-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "<img" not in body and "<iframe" not in body and "<b " not in body
    assert "&lt;script&gt;" in body
    assert 'href="javascript' not in page and 'href="data:' not in page
    assert '<a href="https://example.org/page" rel="noopener noreferrer">good link</a>' in body
    # The title from front matter is escaped too.
    assert "<script>alert('title')" not in page
    assert "&lt;script&gt;" in page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    # No script tag anywhere but the two the base template loads by src.
    assert page.count("<script") == page.count("<script src=")


def test_language_follows_active_language_with_english_fallback(client: Client, hostile_library: Path) -> None:
    client.cookies["django_language"] = "es"
    listing = client.get(reverse("learn:piece-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Pieza hostil" in listing
    assert "English only piece" in listing
    assert 'lang="en"' in listing
    detail = client.get(reverse("learn:piece-detail", kwargs={"slug": "english-only"}),
                        HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<article class="learn-article" lang="en">' in detail
    assert "English only piece" in detail


# ---------------------------------------------------------------- pages


@pytest.mark.django_db
def test_piece_page_shows_title_time_body_sources_and_reflection_box(client_as) -> None:
    piece = content.library()["en"]["loop"]
    page = client_as("owner").get(reverse("learn:piece-detail", kwargs={"slug": "loop"})).content.decode()
    assert f"<h1>{piece.title}</h1>" in page
    assert f"{piece.reading_minutes} minute read" in page
    assert 'id="sources-heading"' in page
    for source in piece.sources:
        assert source.replace("&", "&amp;").replace("'", "&#x27;") in page
    assert page.index('class="learn-body"') < page.index("sources-heading") < page.index('id="reflections"')
    assert 'name="text"' in page and 'name="shared"' in page
    assert "Mark as read" in page


@pytest.mark.django_db
def test_anonymous_can_read_but_is_asked_to_sign_in_to_reflect(client: Client) -> None:
    page = client.get(reverse("learn:piece-detail", kwargs={"slug": "help-now"})).content.decode()
    assert "988" in page
    assert 'name="text"' not in page
    assert "to write a private reflection" in page


def test_unknown_piece_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("learn:piece-detail", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.django_db
def test_list_is_grouped_and_marks_read_pieces(client_as, world) -> None:
    c = client_as("owner")
    c.post(reverse("learn:mark-read", kwargs={"slug": "guarded"}))
    page = c.get(reverse("learn:piece-list")).content.decode()
    for _key, label, _members in content.GROUPS:
        assert f">{label}</h2>" in page
    guarded = content.library()["en"]["guarded"].title
    item = page.split(guarded, 1)[1].split("</li>", 1)[0]
    assert "learn-read" in item
    loop_item = page.split(content.library()["en"]["loop"].title, 1)[1].split("</li>", 1)[0]
    assert "learn-read" not in loop_item
    assert "You have read 1 of 15 pieces." in page


@pytest.mark.django_db
def test_list_in_spanish(client_as) -> None:
    c = client_as("owner")
    c.cookies["django_language"] = "es"
    page = c.get(reverse("learn:piece-list")).content.decode()
    assert content.library()["es"]["loop"].title in page
    assert content.library()["en"]["loop"].title not in page
    assert "<h1>Aprender</h1>" in page
    assert ">La distancia y el ánimo bajo</h2>" in page
    detail = c.get(reverse("learn:piece-detail", kwargs={"slug": "loop"})).content.decode()
    assert "Tu reflexión privada" in detail and ">Fuentes</h2>" in detail


def test_spanish_catalog_is_complete() -> None:
    po = (Path(content.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    entries = po.split("\n\n")[1:]
    for entry in entries:
        assert not re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, flags=re.MULTILINE), entry


@pytest.mark.django_db
def test_mark_read_is_idempotent_and_redirects_only_locally(client_as, world) -> None:
    from nearer.learn.models import ReadMark

    c = client_as("owner")
    url = reverse("learn:mark-read", kwargs={"slug": "loop"})
    r1 = c.post(url, {"next": "https://evil.example/"})
    assert r1.status_code == 302 and r1.headers["Location"] == reverse("learn:piece-detail", kwargs={"slug": "loop"})
    r2 = c.post(url, {"next": reverse("learn:piece-list")})
    assert r2.headers["Location"] == reverse("learn:piece-list")
    assert ReadMark.objects.filter(person=world.owner, slug="loop").count() == 1
    assert c.post(reverse("learn:mark-read", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.django_db
def test_finding_care_page(client: Client) -> None:
    page = client.get(reverse("learn:finding-care")).content.decode()
    assert content.library()["en"]["finding-care"].title in page
    assert "Asking about depression and intimacy" in page
    assert "Looking for a therapist" in page
    try:
        directory = reverse("clinic:directory")
    except Exception:  # noqa: BLE001 - the clinic directory may not exist yet
        directory = None
    if directory:
        assert f'href="{directory}"' in page
    else:
        assert "primary care doctor" in page


# ---------------------------------------------------------------- links from other apps

NEARER_DIR = Path(content.__file__).resolve().parents[1]
_LINK_PATTERNS = [
    re.compile(r"""\{%\s*learn_link\s+["']([\w-]+)["']"""),
    re.compile(r"""\{%\s*url\s+['"]learn:piece-detail['"]\s+(?:slug=)?["']([\w-]+)["']"""),
    re.compile(r"""_intro\.html"\s+with\s+[^%]*\bslug=["']([\w-]+)["']"""),
    re.compile(r"""reverse\(\s*["']learn:piece-detail["']\s*,\s*kwargs=\{\s*["']slug["']\s*:\s*["']([\w-]+)["']"""),
]


def test_links_from_other_apps_point_at_real_pieces() -> None:
    """Every tool that links a piece (by tool key or slug) names one that exists."""
    known = set(content.library()["en"]) | set(content.TOOL_PIECES)
    found: list[tuple[str, str]] = []
    for path in list(NEARER_DIR.rglob("*.html")) + list(NEARER_DIR.rglob("*.py")):
        if "learn" in path.relative_to(NEARER_DIR).parts[:1]:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in _LINK_PATTERNS:
            found += [(str(path.relative_to(NEARER_DIR)), key) for key in pattern.findall(text)]
    unknown = [(where, key) for where, key in found if key not in known]
    assert not unknown, unknown


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_learn_lists_every_article_exactly_once(client: Client, language: str) -> None:
    # "Finding a therapist, and what to ask" used to appear in its group and again as a link below.
    page = client.get(reverse("learn:piece-list"), headers={"accept-language": language}).content.decode()
    main = page[page.index('id="main"'):page.index("</main>")]
    links = re.findall(r'<a href="(/learn/[^"]+)"[^>]*>([^<]+)</a>', main)
    pieces = content.all_pieces(language)
    hrefs = [href for href, _title in links]
    for piece in pieces:
        url = reverse("learn:piece-detail", kwargs={"slug": piece.slug})
        assert hrefs.count(url) == 1, (piece.slug, hrefs)
        assert [title for _href, title in links].count(piece.title) == 1, piece.title
    assert len(hrefs) == len(set(hrefs)) == len(pieces)
