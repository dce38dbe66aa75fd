"""Append references from research files to knowledge/references.yaml (a maintainer's tool).

    python tools/merge_references.py SECTION_TITLE FILE ID [ID ...]

Copies the named entries, as written, under a new section comment; refuses ids that are
already in the knowledge base. The research files are helpers' notes, not part of the
product; every merged entry is reviewed in the commit that adds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main(section: str, source: str, ids: list[str]) -> int:
    target = ROOT / "knowledge" / "references.yaml"
    known = {r["id"] for r in yaml.safe_load(target.read_text(encoding="utf-8"))["references"]}
    entries = {r["id"]: r for r in yaml.safe_load(Path(source).read_text(encoding="utf-8"))["references"]}
    clash = [i for i in ids if i in known]
    missing = [i for i in ids if i not in entries]
    if clash or missing:
        print(f"already known: {clash}; not in {source}: {missing}", file=sys.stderr)
        return 1
    chosen = [entries[i] for i in ids]
    text = yaml.safe_dump(chosen, sort_keys=False, allow_unicode=True, width=95)
    block = f"\n# --- {section} " + "-" * max(3, 86 - len(section)) + "\n\n" + text.replace("\n- ", "\n\n- ")
    with target.open("a", encoding="utf-8") as f:
        f.write(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
