"""Fill empty msgstr entries of a .po file from a JSON {msgid: msgstr} map (maintainers' helper).

Usage: python scripts/po_fill.py LOCALE/django.po translations.json
"""

import json
import re
import sys


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line) for line in lines)


def fill(po_path: str, mapping: dict[str, str]) -> int:
    blocks = open(po_path, encoding="utf-8").read().split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ""$', block, flags=re.M)
        if not m or "msgid_plural" in block:
            continue
        msgid = _unquote(re.findall(r'^(".*")$', m.group(1), flags=re.M))
        if msgid and msgid in mapping:
            blocks[i] = block[: m.end() - 2] + json.dumps(mapping[msgid], ensure_ascii=False)
            blocks[i] = blocks[i].replace("#, fuzzy\n", "")
            filled += 1
    open(po_path, "w", encoding="utf-8").write("\n\n".join(blocks))
    return filled


if __name__ == "__main__":
    print(fill(sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))))
