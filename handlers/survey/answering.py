"""Answering: a 1–4 button per question, back one, cancel (asked first), the comment, sending."""

from __future__ import annotations

from dataclasses import replace

from handlers.chat import Chat
from handlers.kit import Button, Kind
from handlers.menu import show_menu
from handlers.render import escape
from handlers.router import Router
from handlers.survey import views
from handlers.survey.callbacks import Answer, Back, CancelAsk, CancelConfirm, CancelWithdraw, SkipComment
from handlers.survey.steps import Answers, Survey, current, resume
from services.errors import DomainError
from services.survey import responses as survey_responses

router = Router("survey.answering")


@router.callback(Answer, during=Survey)
async def answer(chat: Chat, cb: Answer) -> None:
    a = current(chat, cb.sid)
    if cb.question != len(a.sv_ans):  # an earlier question pressed again, or a double tap
        chat.toast = chat.t("survey.answered_toast")
        resume(chat)
        return
    try:
        survey_responses.check_answer(cb.value)
    except DomainError as e:
        chat.toast = chat.t(e.code)
        resume(chat)
        return
    chat.save(replace(a, sv_ans=[*a.sv_ans, cb.value]))
    resume(chat)


@router.callback(Back, during=Survey)
async def back(chat: Chat, cb: Back) -> None:
    a = current(chat, cb.sid)
    if cb.question != len(a.sv_ans) or not a.sv_ans:
        chat.toast = chat.t("survey.answered_toast")
        resume(chat)
        return
    chat.save(replace(a, sv_ans=a.sv_ans[:-1]))
    resume(chat)


@router.callback(CancelAsk, during=Survey)
async def cancel_asked(chat: Chat, cb: CancelAsk) -> None:
    a = current(chat, cb.sid)
    n = len(a.sv_ans)
    if not n:
        _discard(chat)
        return
    chat.reply(chat.t("survey.cancel_confirm", n=n, unit=escape(a.sv_name)),
               [[Button(chat.t("survey.btn.discard", n=n), CancelConfirm(a.sv_sid).pack())],
                [Button(chat.t("survey.btn.continue"), CancelWithdraw(a.sv_sid).pack())]], edit=True)


@router.callback(CancelConfirm, during=Survey)
async def cancel_confirmed(chat: Chat, cb: CancelConfirm) -> None:
    current(chat, cb.sid)
    _discard(chat)


@router.callback(CancelWithdraw, during=Survey)
async def cancel_withdrawn(chat: Chat, cb: CancelWithdraw) -> None:
    current(chat, cb.sid)
    resume(chat)  # back to the very question (or the comment) they were on


def _discard(chat: Chat) -> None:
    chat.clear()
    show_menu(chat, edit=True, lead=chat.t("survey.cancelled"))


async def _lost(chat: Chat) -> bool:
    """A survey state without its data (should not happen): start over rather than crash."""
    a = chat.load(Answers)
    if a.sv_sid and a.sv_unit:
        return False
    chat.clear()
    await views.units_page(chat, 0, edit=False)
    return True


@router.step(Survey.q)
async def typed_while_asking(chat: Chat) -> None:
    if await _lost(chat):
        return
    resume(chat, chat.t("survey.use_buttons") + "\n\n")


@router.callback(SkipComment, during=Survey)
async def skip_comment(chat: Chat, cb: SkipComment) -> None:
    current(chat, cb.sid)
    if not Survey.comment.is_current(chat):  # went back to a question since this prompt was shown
        chat.toast = chat.t("survey.answered_toast")
        resume(chat)
        return
    await _submit(chat, None)


@router.step(Survey.comment)
async def typed_comment(chat: Chat) -> None:
    if await _lost(chat):
        return
    inc = chat.incoming
    if inc.kind is not Kind.TEXT:
        resume(chat, chat.t("survey.comment_text_only") + "\n\n")
        return
    try:
        comment = survey_responses.check_comment(inc.text)
    except DomainError as e:
        resume(chat, chat.error_text(e) + "\n\n")
        return
    if comment is None:
        resume(chat, chat.t("survey.comment_empty") + "\n\n")
        return
    await _submit(chat, comment)


async def _submit(chat: Chat, comment: str | None) -> None:
    a = chat.load(Answers)
    try:
        done = await survey_responses.submit(chat.uow, chat.person, a.sv_unit, a.sv_ans, comment, now=chat.now,
                                             tz=chat.settings.tz)
    except DomainError as e:
        chat.clear()
        views.refuse(chat, e, edit=True)
        return
    chat.clear()
    chat.reply(chat.t("survey.thanks", unit=escape(done.unit.name)), [views.menu_row(chat)], edit=True)
