"""The filing flow's steps, in order. The state names ("cx.desc"…) are stored in people's chats."""

from __future__ import annotations

from handlers.chat import Chat
from handlers.complaints.filing.draft import load
from handlers.flow import Step, Steps


def _told(chat: Chat) -> bool:
    return bool(load(chat).description)


def _extras_kind(chat: Chat) -> bool:
    return load(chat).one_step_extras


def _complaint(chat: Chat) -> bool:
    return not load(chat).one_step_extras


class Filing(Steps, prefix="cx", summary="confirm"):
    kind = Step()
    desc = Step(skip=_told)  # "mau lapor jalan rusak" already says it
    photos = Step(skip=_extras_kind)  # a complaint asks for photos, then for the place
    loc = Step(skip=_extras_kind)
    extras = Step(skip=_complaint)  # an aspiration or information request: both in one optional step
    agency = Step()
    privacy = Step()
    confirm = Step()
