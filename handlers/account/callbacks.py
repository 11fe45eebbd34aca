"""The buttons and the flow of /tautkan (prefix "acct"; state names "link.*")."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.callbacks import Callback
from handlers.flow import Step, Steps


class Account(Callback, prefix="acct"):
    """Open /tautkan. Other features' "link your account" buttons send this plain "acct"."""


class Linking(Steps, prefix="link"):
    """NIP first, then the person's own phone as Telegram verifies it."""

    nip = Step()
    contact = Step(note="NIP on file")


@dataclass(frozen=True)
class LinkDraft:
    nip: str = ""  # the NIP the first step found on file (state key "nip", as before)
