"""The questionnaire's steps, the answers so far, and the one check that a button is this survey's.

The nine answers travel in the durable conversation state and are stored in one go at the
end. Each survey gets a short id (`sid`) carried in its buttons, so a button from an older
survey, or from a question already answered, is recognised and answered clearly.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from handlers.chat import Chat
from handlers.flow import Step, Steps
from handlers.kit import Button
from handlers.menu import Cancel
from handlers.render import escape
from handlers.survey.callbacks import Answer, Back, CancelAsk, SkipComment, StaleSurvey
from services.survey import ikm
from services.survey import responses as survey_responses
from services.survey import units as survey_units

TOTAL = ikm.N_ELEMENTS


class Survey(Steps, prefix="survey"):
    """One question step answered nine times over (edited in place), then the optional comment."""

    q = Step(note="nine questions, 1–4 each")  # state "survey.q"
    comment = Step()  # state "survey.comment"


@dataclass(frozen=True)
class Answers:
    """The survey in progress. The keys are the ones saved in people's state since the survey began."""

    sv_sid: str = ""  # the survey's short id, carried in its buttons
    sv_unit: int = 0  # the service unit's id
    sv_name: str = ""  # the unit's name and its agency's, as shown in the questions
    sv_agency: str = ""
    sv_ans: list[int] = field(default_factory=list)  # 1–4 for each question answered so far


def in_survey(chat: Chat) -> bool:
    return chat.state in Survey.names()


def current(chat: Chat, sid: str) -> Answers:
    """The survey in progress, if this button (carrying `sid`) is one of its own; else StaleSurvey.

    Outside the survey's steps its buttons never get here (their handlers' `during=Survey`)."""
    answers = chat.load(Answers)
    if not answers.sv_sid or answers.sv_sid != sid:
        raise StaleSurvey(sid)
    return answers


def begin(chat: Chat, unit: survey_units.UnitView) -> None:
    chat.clear()
    chat.save(Answers(secrets.token_hex(3), unit.id, unit.name, unit.agency_name))
    resume(chat)


def resume(chat: Chat, lead: str = "") -> None:
    """The step the answers so far lead to: the next question, or the comment after the ninth.

    `lead` is said first, in the same message (why the question is shown again).
    """
    if len(chat.load(Answers).sv_ans) >= TOTAL:
        chat.state = Survey.comment.name
        ask_comment(chat, lead)
    else:
        chat.state = Survey.q.name
        ask_question(chat, lead)


def _cancel(chat: Chat, a: Answers) -> Button:
    # With answers given, cancelling asks first: one stray tap should not throw them away.
    if a.sv_ans:
        return Button(chat.t("btn.cancel"), CancelAsk(a.sv_sid).pack())
    return Button(chat.t("btn.cancel"), Cancel().pack())


# Answers are edited into the pressed message (a typed message gets a new one: `reply` decides).
@Survey.q.asks
def ask_question(chat: Chat, lead: str = "") -> None:
    a = chat.load(Answers)
    n = len(a.sv_ans)
    element = ikm.ELEMENTS[n]
    text = chat.t("survey.question", n=n + 1, total=TOTAL, element=chat.t(f"survey.el.{element}"),
                  question=chat.t(f"survey.q.{element}"))
    if n == 0:
        text = chat.t("survey.intro", unit=escape(a.sv_name), agency=escape(a.sv_agency)) + "\n\n" + text
    rows = [[Button(f"{v} · {chat.t(f'survey.a.{element}.{v}')}", Answer(a.sv_sid, n, v).pack())]
            for v in range(1, 5)]
    rows.append([Button(chat.t("survey.btn.back"), Back(a.sv_sid, n).pack()), _cancel(chat, a)] if n
                else [_cancel(chat, a)])
    chat.reply(lead + text, rows, edit=True)


@Survey.comment.asks
def ask_comment(chat: Chat, lead: str = "") -> None:
    a = chat.load(Answers)
    text = chat.t("survey.ask_comment", unit=escape(a.sv_name), limit=survey_responses.COMMENT_LIMIT)
    rows = [[Button(chat.t("survey.btn.skip"), SkipComment(a.sv_sid).pack())],
            [Button(chat.t("survey.btn.back"), Back(a.sv_sid, len(a.sv_ans)).pack()), _cancel(chat, a)]]
    chat.reply(lead + text, rows, edit=True)
