"""The installable web app: the manifest is valid JSON and every icon it names exists at its size."""

from __future__ import annotations

import json
import struct
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "nearer" / "static" / "nearer"


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_manifest_is_valid_and_its_icons_exist() -> None:
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Nearer"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        path = STATIC / icon["src"]  # relative to the manifest's own URL
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            w, h = _png_size(path)
            assert icon["sizes"] == f"{w}x{h}"
            sizes.add(w)
        else:
            assert icon["type"] == "image/svg+xml" and path.read_text(encoding="utf-8").startswith("<svg")
    assert {192, 512} <= sizes
    assert any("maskable" in icon.get("purpose", "") for icon in manifest["icons"])
