"""The buttons and the flow of /tautkan (prefix "acct"; state names "link.*")."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.callbacks import Callback
from handlers.flow import Step, Steps


class Account(Callback, prefix="acct"):
    """Open /tautkan (the profile once linked). Other features' "link your account" buttons send "acct"."""


class Unlink(Callback, prefix="acct:u"):
    employee_id: int  # the record shown: a button left from an earlier link does not apply to a new one
    confirm: bool = False  # False: ask first; True: the confirmation was pressed


class Linking(Steps, prefix="link"):
    """NIP first, then the person's own phone as Telegram verifies it, or HR's activation code."""

    nip = Step()
    contact = Step(note="NIP on file")
    code = Step(note="phone does not match")


@dataclass(frozen=True)
class LinkDraft:
    nip: str = ""  # the NIP the first step found on file (state key "nip", as before)
    phone_refused: bool = False  # the code step opens with why: the shared phone did not match
    left: int = 0  # tries left before the lock, said with that reason
