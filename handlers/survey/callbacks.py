"""Every button of the citizen's survey, as a typed callback.

The encodings are the ones the buttons always had ("svu:3", "sva:1a2b3c:0:4"), so buttons
already in people's chats keep working. A survey's own buttons carry its short id (`sid`):
one from a finished survey, or malformed, gets the survey's "that survey is over" answer.
"""

from __future__ import annotations

from typing import ClassVar

from handlers.callbacks import Callback, StaleButton
from handlers.chat import Chat


class StaleSurvey(StaleButton):
    """A button of a survey that is no longer the one in progress (or data no button carried)."""

    async def answer(self, chat: Chat) -> None:
        chat.toast = chat.t("survey.stale_toast")  # the pop-up only: the chat is left as it is


class _OfTheSurvey:
    """Mixin: a survey's button pressed outside the survey, or malformed, is a StaleSurvey."""

    stale: ClassVar[type[StaleButton]] = StaleSurvey


# --- choosing a unit (no survey yet: the bot's usual stale answer) -----------------------------

class SurveyMenu(Callback, prefix="svy"):
    page: int = 0


class PickUnit(Callback, prefix="svu"):
    unit_id: int


# --- a survey's own buttons ----------------------------------------------------------------------

class Answer(_OfTheSurvey, Callback, prefix="sva"):
    sid: str
    question: int  # 0-based: the question this button answers
    value: int  # 1–4


class Back(_OfTheSurvey, Callback, prefix="svb"):
    sid: str
    question: int  # the question (or 9: the comment prompt) the button was shown on


class SkipComment(_OfTheSurvey, Callback, prefix="svs"):
    sid: str


class CancelAsk(_OfTheSurvey, Callback, prefix="svx"):
    sid: str


class CancelConfirm(_OfTheSurvey, Callback, prefix="svxy"):
    sid: str


class CancelWithdraw(_OfTheSurvey, Callback, prefix="svk"):
    sid: str
