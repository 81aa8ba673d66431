"""The browser tab names the page: "<page> · Nearer", and just "Nearer" on the home page."""

from __future__ import annotations

import re


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, flags=re.S)
    assert match
    return match.group(1).strip()


def test_home_and_landing_titles_read_nearer(client, world, client_as):
    assert _title(client.get("/").content.decode()) == "Nearer"
    assert _title(client_as("owner").get("/").content.decode()) == "Nearer"


def test_other_pages_keep_the_separator(client_as):
    assert _title(client_as("owner").get("/me/").content.decode()) == "Settings · Nearer"
