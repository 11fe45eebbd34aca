"""The layering rule and the catalogs, checked mechanically."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from handlers.i18n import LOCALES, catalog

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "db": {"aiogram", "telegram", "handlers", "bot", "services"},
    "services": {"aiogram", "telegram", "handlers", "bot"},
    "handlers": {"aiogram", "telegram", "bot"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_downward_only(layer: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(_imports(p) & FORBIDDEN[layer])
        for p in (ROOT / layer).rglob("*.py")
        if _imports(p) & FORBIDDEN[layer]
    }
    assert offenders == {}


def test_catalogs_have_the_same_keys_in_every_language() -> None:
    keys = {loc: set(catalog(loc)) for loc in LOCALES}
    assert keys["id"] == keys["en"], keys["id"] ^ keys["en"]


def test_every_literal_message_key_in_code_is_translated() -> None:
    pattern = re.compile(r"""\bt\(\s*(?:[\w.]+,\s*)?["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
    used: set[str] = set()
    for layer in ("handlers", "bot"):
        for p in (ROOT / layer).rglob("*.py"):
            used.update(pattern.findall(p.read_text()))
    missing = sorted(k for k in used if k not in catalog("id"))
    assert missing == []


def test_placeholders_match_between_languages() -> None:
    field = re.compile(r"{(\w+)}")
    ids, ens = catalog("id"), catalog("en")
    differ = {k: (set(field.findall(ids[k])), set(field.findall(ens[k])))
              for k in ids if set(field.findall(ids[k])) != set(field.findall(ens.get(k, "")))}
    assert differ == {}
