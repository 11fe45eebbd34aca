"""Start a feature's gettext catalogs from (key, Indonesian, English) triples.

    python tools/po.py DOMAIN FILE.py    # FILE.py defines MESSAGES = [(key, id_text, en_text), ...]

It writes locales/{id,en}/LC_MESSAGES/DOMAIN.po. The .po files are the source of truth: once a
domain exists, edit them (or any gettext tool) directly; tests/test_architecture.py checks that
both languages have the same keys and placeholders and that every key used in code exists.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent / "locales"


def main(domain: str, source: str) -> None:
    messages = runpy.run_path(source)["MESSAGES"]
    for index, lang in ((1, "id"), (2, "en")):
        cat = Catalog(locale=lang, domain=domain, project="SAPA", charset="utf-8")
        for row in messages:
            cat.add(row[0], row[index])
        out = ROOT / lang / "LC_MESSAGES" / f"{domain}.po"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as f:
            write_po(f, cat, width=0, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
