"""A feature lives in its own packages.

For every feature in handlers/features.py, its name, its button and step prefixes, its notice
templates, its jobs' names and its commands appear in no module outside its own packages: not
as a string and not as an import of its modules. Allowed outside: the one list
(handlers/features.py), the typed registries (db/uow.py, db/models/__init__.py), its
migrations and catalogs, and another feature's import of its `callbacks` module (typed button
data is a feature's public interface: `TrOpen(id).pack()`, never "tr:o:…").
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from handlers.feature import Feature
from handlers.features import bot

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "services", "db")
REGISTRIES = frozenset({"handlers/features.py", "db/uow.py", "db/models/__init__.py"})
# (feature, module) → why that module may still name it. Shrinks; never grows without a reason.
ALLOWED = {
    ("broadcasts", "bot/progress.py"): "the live progress editor of a running broadcast is a loop beside the "
                                       "outbox sender on the leading process; manifests have no field for "
                                       "leader-only loops yet, so bot/runtime.py starts it by name",
}


@dataclass(frozen=True)
class Owned:
    """A feature with the package its manifest lives in and the words that name it."""

    feature: Feature
    package: str  # handlers.<package>
    tokens: frozenset[str]  # exact strings: the name, notice templates, job names, commands
    buttons: frozenset[str]  # "<prefix>:…" is its button data
    steps: frozenset[str]  # "<prefix>.…" is one of its steps, "<name>.…" one of its audit actions

    def owns(self, rel: str) -> bool:
        p = self.package
        return (rel.startswith((f"handlers/{p}/", f"services/{p}/"))
                or rel in {f"handlers/{p}.py", f"services/{p}.py", f"db/models/{p}.py"}
                or re.fullmatch(rf"db/repositories/{p}(_\w+)?\.py", rel) is not None)

    def named_by(self, text: str) -> bool:
        return (text in self.tokens or any(text.startswith(f"{p}:") for p in self.buttons)
                or any(text.startswith(f"{p}.") for p in self.steps))

    def imported_by(self, module: str) -> bool:
        """A module of its handlers other than its typed buttons: its screens are its own. (Its
        services are a lower layer any feature may call: a vacancy's rules read the appraisal.)"""
        parts = module.split(".")
        return parts[:2] == ["handlers", self.package] and "callbacks" not in parts[2:]


def _package(f: Feature) -> str:
    """The handlers package its manifest lives in (vacancies_admin's is vacancies/admin: vacancies)."""
    for path in sorted((ROOT / "handlers").glob("*/__init__.py")):
        if getattr(importlib.import_module(f"handlers.{path.parent.name}"), "feature", None) is f:
            return path.parent.name
    for path in sorted((ROOT / "handlers").glob("*/*/__init__.py")):  # a feature inside another's package
        if getattr(importlib.import_module(f"handlers.{path.parent.parent.name}.{path.parent.name}"),
                   "feature", None) is f:
            return path.parent.parent.name
    raise LookupError(f"no handlers package holds the manifest of {f.name!r}")


def owned() -> list[Owned]:
    assembly = bot()
    out = []
    for f in assembly.features:
        package = _package(f)
        mine = f"handlers.{package}."
        # A typed button's handler is wrapped by the router: the data type says where it lives.
        prefixes = {key.split(":")[0] for key, fn in f.router.callbacks.items()
                    if getattr(fn, "callback_type", fn).__module__.startswith(mine)}
        steps = {step.name.split(".")[0] for flow in f.flows for step in flow.steps} | {f.name}
        tokens = {f.name} | {fn.notice_type.template for fn in f.notices}  # type: ignore[attr-defined]
        tokens |= {job.name for job in f.jobs}
        # Its statistics sections' keys. (Import kinds, reminder kinds, topics and audit families are
        # keyed by words of the domain that tables and columns share — "employees", "skp", "role":
        # assemble() already refuses two features claiming one.)
        tokens |= {s.key for s in f.stats}
        tokens |= {name for name, fn in f.router.commands.items()
                   if name.startswith("/") and fn.__module__.startswith(mine)}
        out.append(Owned(f, package, frozenset(tokens), frozenset(prefixes), frozenset(steps)))
    return out


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in rel and rel not in REGISTRIES:
                yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _exempt(tree: ast.Module) -> set[int]:
    """ids of the constants that name no feature: docstrings (prose) and a foreign key's target
    (the schema names tables, and a core table may point at a feature's)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "ForeignKey":
            out |= {id(a) for a in node.args}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def violations(o: Owned) -> list[str]:
    return [v for rel, tree in _modules()
            if not o.owns(rel) and (o.feature.name, rel) not in ALLOWED for v in _named(o, rel, tree)]


def _named(o: Owned, rel: str, tree: ast.Module) -> list[str]:
    found = []
    exempt = _exempt(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt:
            if o.named_by(node.value):
                found.append(f"{rel}:{node.lineno} names it: {node.value!r}")
        elif isinstance(node, ast.Import):
            found += [f"{rel}:{node.lineno} imports {a.name}" for a in node.names if o.imported_by(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # "from handlers import training" imports the package; "from handlers.x import y" may
            # import a module y: both are checked.
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(o.imported_by(m) for m in modules):
                found.append(f"{rel}:{node.lineno} imports from {node.module}")
    return found


PLANTED = '''
from handlers.training import views
from handlers.training.callbacks import TrOpen
from handlers import training


def f():
    """Prose may say "tr:o:5"."""
    return "tr:o:5", "reminders_training", TrOpen(5).pack()
'''


def test_the_check_sees_a_feature_named_outside_its_packages() -> None:
    training = next(o for o in owned() if o.feature.name == "training")
    found = [f.split(" ", 1)[1] for f in _named(training, "handlers/other/x.py", ast.parse(PLANTED))]
    assert sorted(found) == ["imports from handlers", "imports from handlers.training", "names it: 'reminders_training'",
                             "names it: 'tr:o:5'"]


@pytest.mark.parametrize("o", owned(), ids=lambda o: o.feature.name)
def test_a_feature_is_named_only_in_its_own_packages(o: Owned) -> None:
    assert violations(o) == []
