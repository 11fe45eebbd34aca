"""Every `# type: ignore[code]` left in the checked code says why, on its own line (issue 16).

mypy already insists on the code (`ignore-without-code`) and on the ignore being needed
(`warn_unused_ignores`); the reason is ours: `# type: ignore[union-attr]  # <why it is safe>`.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "db", "handlers", "services")  # what mypy checks (pyproject.toml)
_IGNORE = re.compile(r"type:\s*ignore")
# The ignore with its code(s), then a comment of its own that says something.
_EXPLAINED = re.compile(r"type:\s*ignore\[[^\]]+\]\s*#\s*\S")


def unexplained_ignores(source: str) -> list[int]:
    """The line numbers of `type: ignore` comments with no `# reason` after them. Comments only:
    a string that happens to contain the words is not an ignore."""
    return [tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT and _IGNORE.search(tok.string) and not _EXPLAINED.search(tok.string)]


@pytest.mark.parametrize("layer", LAYERS)
def test_every_type_ignore_says_why(layer: str) -> None:
    offenders = {f"{p.relative_to(ROOT)}:{n}": p.read_text().splitlines()[n - 1].strip()
                 for p in sorted((ROOT / layer).rglob("*.py")) for n in unexplained_ignores(p.read_text())}
    assert offenders == {}, "add the reason after the ignore: `# type: ignore[code]  # why`"


def test_the_check_sees_an_ignore_without_a_reason() -> None:
    source = (
        "a = f()  # type: ignore[arg-type]\n"
        "b = g()  # type: ignore[union-attr]  # g returns None only when called with none\n"
        "c = h()  # type: ignore\n"
        "d = k()  # type: ignore[misc]  #\n"
        "e = '# type: ignore[misc]'\n"
        "g = m()  # type: ignore[attr-defined, misc]  # m is patched in at start-up\n"
    )
    assert unexplained_ignores(source) == [1, 3, 4]
