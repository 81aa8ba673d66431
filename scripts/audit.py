"""Audit the locked dependencies against the package registry's own advisory metadata.

pip-audit needs per-release JSON or the OSV service; neither is reachable from the machines Nearer
is built on (only the package registries are). The registry's project JSON lists the known
vulnerabilities of the project's newest release, so a pin that *is* the newest release can be
audited exactly; any other pin is reported as "not checked" with the reason, never as clean.

Exit status: 1 when a known vulnerability affects a locked pin, 0 otherwise (including "not run",
which is printed as such: an audit that could not run never says "0 known vulnerabilities").
Usage: python scripts/audit.py requirements/base.txt requirements/dev.txt
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REGISTRY = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def pins(paths: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            m = PIN.match(line.strip())
            if m:
                found[m.group(1).lower()] = m.group(2)
    return found


def look_up(name: str) -> tuple[str, dict | None, str]:
    try:
        with urllib.request.urlopen(REGISTRY.format(name=name), timeout=15) as r:  # noqa: S310 (fixed https URL)
            return name, json.load(r), ""
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        return name, None, type(exc).__name__


def main(paths: list[str]) -> int:
    locked = pins(paths)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(look_up, sorted(locked)))
    audited, vulnerable, not_checked, unreachable = [], [], [], []
    for name, data, error in answers:
        version = locked[name]
        if data is None:
            unreachable.append(f"{name} ({error})")
            continue
        newest = data.get("info", {}).get("version")
        if newest != version:
            not_checked.append(f"{name} {version} (newest is {newest})")
            continue
        audited.append(name)
        for v in data.get("vulnerabilities") or []:
            if not v.get("withdrawn"):
                vulnerable.append(f"{name} {version}: {v.get('id')} (fixed in {', '.join(v.get('fixed_in') or []) or '?'})")
    if not audited:
        print(f"Dependency audit NOT RUN: the registry's advisory data could not be read for any of the "
              f"{len(locked)} locked packages ({len(unreachable)} unreachable, {len(not_checked)} not the newest release).")
        return 0
    print(f"Dependency audit: {len(audited)} of {len(locked)} locked packages checked against the registry's "
          f"advisories, {len(vulnerable)} known vulnerabilities.")
    if not_checked:
        print(f"  Not checked ({len(not_checked)}; the registry publishes advisories for its newest release only): "
              + "; ".join(not_checked))
    if unreachable:
        print(f"  Not checked ({len(unreachable)}; registry did not answer): " + "; ".join(unreachable))
    for line in vulnerable:
        print(f"  VULNERABLE {line}")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["requirements/base.txt", "requirements/dev.txt"]))
