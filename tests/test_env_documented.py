"""Every environment variable the code reads is documented in .env.example and docs/operating.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATTERN = re.compile(r"""(?:env_(?:str|bool|int|list)\(|os\.environ(?:\.get)?\(|os\.environ\[|getenv\()\s*["']((?:NEARER|DATABASE)_[A-Z0-9_]*|DATABASE_URL)["']""")


def _read_vars() -> set[str]:
    found = set()
    for path in list((ROOT / "nearer").rglob("*.py")) + [ROOT / "tests" / "browser" / "conftest.py"]:
        if "/tests/" in str(path) and path.name != "conftest.py":
            continue
        found |= set(PATTERN.findall(path.read_text()))
    return found


def test_every_variable_is_documented():
    used = _read_vars()
    assert "NEARER_SECRET_KEY" in used and "DATABASE_URL" in used
    example = (ROOT / ".env.example").read_text()
    operating = (ROOT / "docs" / "operating.md").read_text()
    missing_example = sorted(v for v in used if f"{v}=" not in example)
    missing_docs = sorted(v for v in used if v not in operating)
    assert not missing_example, f"Not in .env.example: {missing_example}"
    assert not missing_docs, f"Not in docs/operating.md: {missing_docs}"
