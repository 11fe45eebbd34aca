"""`router.restrict` takes button types, never prefix strings (issue 16): a gate follows its
family's prefix wherever the callbacks module declares it."""

from __future__ import annotations

import ast
from pathlib import Path

from handlers.callbacks import Callback
from handlers.features import bot
from handlers.router import Router

ROOT = Path(__file__).resolve().parent.parent


def test_no_restrict_call_spells_a_prefix():
    calls = 0
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "restrict":
                calls += 1
                strings = [a for a in node.args if isinstance(a, ast.Constant | ast.JoinedStr)]
                assert strings == [], f"{path.relative_to(ROOT)}:{node.lineno}"
    assert calls >= 8


def test_a_family_type_gates_every_button_under_its_prefix():
    class Fam(Callback, prefix="zq"):
        pass

    r = Router("t")
    r.restrict(Fam, commands=("ZQ",), roles=("hr",))
    assert r.gates == {"zq": ("hr",), "/zq": ("hr",)}


def test_every_gate_is_a_declared_button_family_or_a_command():
    gates = bot().router.gates
    prefixes: set[str] = set()
    todo = list(Callback.__subclasses__())
    while todo:
        cls = todo.pop()
        prefixes.add(cls.prefix)
        todo.extend(cls.__subclasses__())
    assert sorted(k for k in gates if not k.startswith("/") and k not in prefixes) == []
    assert {"tra", "vaa", "imp", "akn", "opd", "cxo", "sf", "stats", "ikm"} <= set(gates)
