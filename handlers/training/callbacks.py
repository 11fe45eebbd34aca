"""Every button of the training feature (prefix "tr"); ids are hints the service re-checks."""

from __future__ import annotations

from handlers.callbacks import Callback
from handlers.flow import Step, Steps


class TrList(Callback, prefix="tr:l"):
    page: int = 1


class TrOpen(Callback, prefix="tr:o"):
    training_id: int
    page: int = 1


class TrJoin(Callback, prefix="tr:j"):
    training_id: int
    wait: bool = False  # the person agrees to the waiting list
    confirm: bool = False  # the confirmation was pressed: act


class TrLeave(Callback, prefix="tr:x"):
    training_id: int
    confirm: bool = False


class TrSearch(Callback, prefix="tr:s"):
    pass


class TrMine(Callback, prefix="tr:m"):
    pass


class Search(Steps, prefix="tr"):
    """Typing a title or topic to look for ("manajemen proyek")."""

    query = Step()
