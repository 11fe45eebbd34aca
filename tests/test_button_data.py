"""Button data is typed: no handler spells another button's data as a string (issue 16).

A feature's `Callback` classes are its public interface. A string such as `"tr:o:12"` or
`"cancel"` written by hand as a button's data would still work today and break silently the day
the owner changes its fields or prefix; `TrOpen(12).pack()` and `Cancel().pack()` cannot.
"""

from __future__ import annotations

import ast
from pathlib import Path

from handlers.callbacks import Callback
from handlers.features import bot

ROOT = Path(__file__).resolve().parent.parent
# Calls whose data argument is button data: (name, index of the positional argument).
DATA_ARGS = {"Button": 1, "menu_item": 1}


def _all_prefixes() -> set[str]:
    found: set[str] = set(bot().router.callbacks)
    todo = list(Callback.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("handlers."):  # not the samples tests declare
            found.add(cls.prefix)
        todo.extend(cls.__subclasses__())
    return found


def _is_button_data(text: str, prefixes: set[str]) -> bool:
    return any(text == p or text.startswith(p + ":") for p in prefixes)


def _strings(node: ast.AST, names: dict[str, list[str]]) -> list[str]:
    """Every string the expression spells: literals, f-strings' literal parts, names assigned strings."""
    out: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            out.append(sub.value)
        elif isinstance(sub, ast.JoinedStr) and sub.values and isinstance(sub.values[0], ast.Constant):
            out.append(str(sub.values[0].value))  # f"tr:o:{x}" starts with "tr:o:"
        elif isinstance(sub, ast.Name) and sub.id in names:
            out.extend(names[sub.id])
    return out


def _assigned(scope: ast.AST) -> dict[str, list[str]]:
    """Names assigned in `scope` (a module's top level, or a function) → the strings assigned."""
    body = scope.body if isinstance(scope, ast.Module) else [scope]
    found: dict[str, list[str]] = {}
    for top in body:
        for node in (ast.walk(top) if not isinstance(scope, ast.Module) else [top]):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                pairs = (zip(target.elts, node.value.elts, strict=False)
                         if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                         else [(target, node.value)])
                for name, value in pairs:
                    if isinstance(name, ast.Name):
                        found.setdefault(name.id, []).extend(_strings(value, {}))
    return found


def hand_built_data(source: str, prefixes: set[str]) -> list[str]:
    """`line: text` for each button data in `source` spelled as a string with a callback prefix.

    The data argument of `Button(...)`/`menu_item(...)` or a `data=` keyword is read with the
    names it uses: a module constant (`TR_OPEN = "tr:o"`) or a variable of the enclosing function.
    """
    tree = ast.parse(source)
    module = _assigned(tree)
    found: set[tuple[int, str]] = set()

    def visit(node: ast.AST, names: dict[str, list[str]]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = {**names, **_assigned(node)}
        if isinstance(node, ast.Call):
            data: list[ast.expr] = [k.value for k in node.keywords if k.arg == "data"]
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name in DATA_ARGS and len(node.args) > DATA_ARGS[name]:
                data.append(node.args[DATA_ARGS[name]])
            for expr in data:
                found.update((expr.lineno, s) for s in _strings(expr, names) if _is_button_data(s, prefixes))
        for child in ast.iter_child_nodes(node):
            visit(child, names)

    visit(tree, module)
    return [f"{line}: {text}" for line, text in sorted(found)]


def test_no_button_data_is_spelled_by_hand() -> None:
    """Outside the callbacks modules, button data comes from `SomeCallback(...).pack()`."""
    prefixes = _all_prefixes()
    offenders = {p.relative_to(ROOT).as_posix(): hits for p in sorted((ROOT / "handlers").rglob("*.py"))
                 if p.name != "callbacks.py" and (hits := hand_built_data(p.read_text(), prefixes))}
    assert offenders == {}


def test_the_check_sees_hand_built_data() -> None:
    sample = (
        'TR_OPEN, X = "tr:o", 1\n'
        'Button("x", "cancel")\n'                      # 2: a literal prefix
        'Button("x", f"tr:o:{n}")\n'                   # 3: an f-string starting with one
        'Button("x", _data(TR_OPEN, n))\n'             # 4: a module constant, through a helper
        'kit.Button(text="x", data="menu")\n'          # 5: the keyword
        'router.menu_item("menu.btn.x", "sub")\n'      # 6: a menu item
        'Button("menu.back", Menu().pack())\n'         # typed: fine
        'Button(t("cancel"), Cancel().pack())\n'       # a catalog key in the label: fine
        'Button("x", "tr")\n'                          # no prefix: fine
        'def f(n):\n'
        '    data = Open(n).pack() if n else "cancel"\n'
        '    Button("x", data)\n'                        # 12: a variable of the function
        'def g(data):\n'
        '    Button("x", data)\n'                        # another function's variable: not this one
    )
    prefixes = {"cancel", "menu", "sub", "tr:o"}
    assert hand_built_data(sample, prefixes) == ["2: cancel", "3: tr:o:", "4: tr:o", "5: menu", "6: sub", "12: cancel"]


def test_the_prefixes_include_the_shared_buttons() -> None:
    assert {"menu", "cancel", "help", "lang", "tr:o", "vac:v"} <= _all_prefixes()
