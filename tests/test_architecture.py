"""The layering rule and the catalogs, checked mechanically."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from handlers.i18n import LOCALES, catalog

ROOT = Path(__file__).resolve().parent.parent
CHANNEL_LIBRARIES = {"aiogram", "telegram", "pywa", "pywa_async"}
FORBIDDEN = {
    "db": {*CHANNEL_LIBRARIES, "handlers", "bot", "services"},
    # Repositories own the SQL: a service calls their methods and never builds a statement.
    "services": {*CHANNEL_LIBRARIES, "handlers", "bot", "sqlalchemy"},
    "handlers": {*CHANNEL_LIBRARIES, "bot"},
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


def _session_uses(path: Path) -> list[int]:
    """Lines where code reaches through a unit of work to its session (`uow.session`, `chat.uow.session`)."""
    tree = ast.parse(path.read_text(), str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "session":
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if name == "uow":
                lines.append(node.lineno)
    return sorted(lines)


def test_services_do_not_touch_the_session() -> None:
    offenders = {str(p.relative_to(ROOT)): _session_uses(p)
                 for p in (ROOT / "services").rglob("*.py") if _session_uses(p)}
    assert offenders == {}


def test_the_session_check_sees_a_session_use(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("async def f(uow, chat):\n    await uow.session.execute(1)\n    chat.uow.session.add(2)\n"
                      "    uow.users.session\n")
    assert _session_uses(sample) == [2, 3]


MAX_LINES = 300
# Handler modules still over the limit: the handlers' split by feature empties this set.
# It may only shrink: a module that got short enough must leave it (see the test below).
TOO_LONG_FOR_NOW: set[str] = set()


def _module_lengths() -> dict[str, int]:
    lengths = {}
    for layer in ("handlers", "services", "db", "bot"):
        for p in (ROOT / layer).rglob("*.py"):
            rel = p.relative_to(ROOT)
            if rel.parts[:3] == ("db", "migrations", "versions"):
                continue  # generated once, never edited
            lengths[rel.as_posix()] = len(p.read_text().splitlines())
    return lengths


def test_no_module_is_over_300_lines() -> None:
    lengths = _module_lengths()
    too_long = {m: n for m, n in lengths.items() if n > MAX_LINES and m not in TOO_LONG_FOR_NOW}
    assert too_long == {}


def test_the_known_long_modules_are_still_long() -> None:
    """A module split below the limit (or gone) leaves TOO_LONG_FOR_NOW, so the list only shrinks."""
    lengths = _module_lengths()
    assert {m for m in TOO_LONG_FOR_NOW if lengths.get(m, 0) <= MAX_LINES} == set()
    assert all(m.startswith("handlers/") for m in TOO_LONG_FOR_NOW)  # strict for services/, db/ and bot/


def _private_imports(path: Path) -> list[str]:
    """`from x import _name` in a module: reaching into another module's private helpers."""
    tree = ast.parse(path.read_text(), str(path))
    return sorted(f"{node.lineno}: {node.module}.{a.name}" for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and node.module
                  for a in node.names if a.name.startswith("_") and not a.name.startswith("__"))


@pytest.mark.parametrize("layer", ["services", "db", "bot"])
def test_no_private_name_is_imported_across_modules(layer: str) -> None:
    """A helper another module needs is public where it lives (or moves to a module of its own)."""
    offenders = {str(p.relative_to(ROOT)): _private_imports(p)
                 for p in (ROOT / layer).rglob("*.py") if _private_imports(p)}
    assert offenders == {}


def test_the_private_import_check_sees_one(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from a.b import _c, d\nfrom __future__ import annotations\n\n\ndef f():\n    from e import _g\n")
    assert _private_imports(sample) == ["1: a.b._c", "6: e._g"]


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


# The kit: modules every feature may use. Everything else directly under handlers/ is a feature.
KIT = {"router", "chat", "callbacks", "flow", "feature", "features", "menu", "render", "i18n", "intents", "kit", "channel",
       "dates", "notices", "__init__"}


def _is_callbacks_module(parts: list[str]) -> bool:
    """`handlers.<feature>[.<part>].callbacks`: a feature's typed button data, its public interface."""
    return len(parts) > 2 and parts[-1] == "callbacks"


def _handler_imports(path: Path) -> set[str]:
    """The `handlers.<x>` names a module imports (absolute imports only: the house style).

    A feature's callbacks module does not count: its typed callbacks are the feature's public
    interface, so another feature's button into it packs `TrOpen(12)`, not a string (issue 16).
    """
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
        for name in names:
            parts = name.split(".")
            if parts[0] != "handlers" or _is_callbacks_module(parts):
                continue
            if isinstance(node, ast.ImportFrom) and len(parts) > 1 and all(  # from handlers.x import callbacks
                    _is_callbacks_module([*parts, a.name]) for a in node.names):
                continue
            if len(parts) > 1:
                found.add(parts[1])
            elif isinstance(node, ast.ImportFrom):  # from handlers import x, y
                found.update(a.name for a in node.names)
    return found


def test_no_feature_imports_another_features_handlers() -> None:
    """Features meet only in the kit and in the one list (handlers/features.py).

    One allowance: another feature's `callbacks` module (and only that module) may be imported,
    for a button into that feature: its typed callbacks are its public interface.
    """
    offenders: dict[str, list[str]] = {}
    for p in (ROOT / "handlers").rglob("*.py"):
        rel = p.relative_to(ROOT / "handlers")
        own = rel.parts[0].removesuffix(".py")
        if own in ("features", "__init__"):
            continue  # the list of features, and build_router, import them all
        allowed = KIT | ({own} if own not in KIT else set())
        bad = sorted(_handler_imports(p) - allowed)
        if bad:
            offenders[rel.as_posix()] = bad
    assert offenders == {}


def test_the_feature_rule_allows_only_callbacks_modules(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from handlers.training.callbacks import TrOpen\nfrom handlers.vacancies.admin import callbacks\n"
                      "import handlers.survey.callbacks\nfrom handlers.kit import Button\n")
    assert _handler_imports(sample) == {"kit"}
    sample.write_text("from handlers.training.views import render\nfrom handlers.survey import callbacks, flows\n"
                      "import handlers.complaints.cards\n")
    assert _handler_imports(sample) == {"training", "survey", "complaints"}


def test_one_owner_renders_domain_errors() -> None:
    """`Chat.error_text` escapes what a refusal quotes; a handler rendering `e.code` itself could forget."""
    own = re.compile(r"\.t\(\s*e\.code\s*,\s*\*\*")  # all its params, unescaped or escaped by hand
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "handlers").rglob("*.py")
                 if p.name != "chat.py" and own.search(p.read_text())]
    assert offenders == []


def _private_uses(path: Path) -> list[str]:
    """`_names` this module takes from another handlers module: imported, or read off an imported module."""
    tree = ast.parse(path.read_text(), str(path))
    found: list[str] = []
    modules: set[str] = set()  # local names bound to a handlers module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "handlers":
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"{node.module}.{a.name}")
                sub = ROOT.joinpath(*node.module.split("."), a.name)
                if sub.with_suffix(".py").exists() or (sub / "__init__.py").exists():
                    modules.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.split(".")[0] == "handlers")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in modules):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_no_private_name_crosses_a_handlers_module() -> None:
    """A helper two modules need is public, in a module both import (e.g. handlers/vacancies/common.py)."""
    offenders = {p.relative_to(ROOT).as_posix(): _private_uses(p)
                 for p in (ROOT / "handlers").rglob("*.py") if _private_uses(p)}
    assert offenders == {}


def test_the_private_name_check_sees_both_ways(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from handlers.vacancies.flows import _ctx, router\nfrom handlers.vacancies import views\n"
                      "views._types('id', 'pdf')\nself._own = 1\n")
    assert _private_uses(sample) == ["handlers.vacancies.flows._ctx", "views._types"]


# --- channel names stay out of the core -----------------------------------------------------------
# Flows and rules are written once for every channel: no name in handlers/ or services/ (an
# identifier, or a string that is a channel's name) says "whatsapp" or "telegram". The deployment's
# settings name each channel's credentials; the modules below predate the rule (staff and civil
# servants are on Telegram, and their ids are called so). Both sets may only shrink.
CHANNEL_WORDS = ("whatsapp", "telegram")
NAMES_CHANNELS = {"services/settings.py"}
NAMED_TELEGRAM_FOR_NOW = {
    "handlers/agencies/views.py", "handlers/broadcasts/views.py", "services/staff/grant.py",
    "services/staff/staff.py", "services/agencies/manage.py", "services/broadcasts/demo.py",
    "services/complaints/reminders.py", "services/demo.py", "services/staff/audit.py",
    "services/vacancies/demo.py", "services/imports/pipeline.py",
}


def _channel_names(path: Path) -> dict[str, set[str]]:
    """{channel word: the names using it} of a module's code (comments and prose strings aside)."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = [getattr(node, a) for a in ("id", "attr", "name", "arg", "module", "asname")
                 if isinstance(getattr(node, a, None), str)]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in CHANNEL_WORDS:
            names.append(node.value)
        for name in names:
            for word in CHANNEL_WORDS:
                if word in name.lower():
                    found.setdefault(word, set()).add(name)
    return found


def _channel_named_modules() -> dict[str, dict[str, set[str]]]:
    return {str(p.relative_to(ROOT)): found for layer in ("handlers", "services")
            for p in sorted((ROOT / layer).rglob("*.py")) if (found := _channel_names(p))}


def test_no_channel_is_named_in_handlers_or_services() -> None:
    named = {m: f for m, f in _channel_named_modules().items() if m not in NAMES_CHANNELS}
    assert {m: sorted(f["whatsapp"]) for m, f in named.items() if "whatsapp" in f} == {}
    assert {m for m, f in named.items() if "telegram" in f} - NAMED_TELEGRAM_FOR_NOW == set()


def test_the_channel_name_allowances_only_shrink() -> None:
    named = _channel_named_modules()
    assert NAMED_TELEGRAM_FOR_NOW - {m for m, f in named.items() if "telegram" in f} == set()


def test_the_channel_name_check_sees_names_and_channel_strings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import pywa\nwhatsapp_id = 1\nif c == 'telegram':\n    x.send_whatsapp()\n"
                      "s = 'a WhatsApp number'  # prose is fine\n")
    assert _channel_names(sample) == {"whatsapp": {"whatsapp_id", "send_whatsapp"}, "telegram": {"telegram"}}
