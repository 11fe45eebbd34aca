"""The import buttons (prefix "imp"); the staged id is a hint the service re-checks (owner, status, age)."""

from __future__ import annotations

from handlers.callbacks import Callback


class ImpButtons(Callback, prefix="imp"):
    """The family of every import button ("imp:…"): what router.restrict gates, not a button."""


class ImpKind(Callback, prefix="imp:k"):
    staged_id: int
    kind: str  # a kind's name; the features register them, so the handler checks it is one


class ImpConfirm(Callback, prefix="imp:ok"):
    staged_id: int


class ImpCancel(Callback, prefix="imp:no"):
    staged_id: int


class ImpStop(Callback, prefix="imp:x"):
    """Batal on the progress message of a running dry run or import."""

    staged_id: int
