"""The summary, changing a part of it, the look for similar reports, and sending with a backed receipt."""

from __future__ import annotations

from dataclasses import replace

from handlers.chat import Chat
from handlers.complaints import views
from handlers.complaints.callbacks import (
    BackToSummary,
    EditField,
    FollowInstead,
    Send,
    SendAnyway,
    ViewReport,
)
from handlers.complaints.filing.base import cancel_row, current, policy, router, say_error
from handlers.complaints.filing.draft import Filed, filed, load
from handlers.complaints.filing.media import keep_media
from handlers.complaints.filing.steps import Filing
from handlers.complaints.filing.views import draft_summary, similar_offer
from handlers.kit import Button
from services.complaints import filing, tracking
from services.complaints.dto import Receipt
from services.complaints.notices import HeldReceipt
from services.errors import DomainError


@Filing.confirm.asks
def show_summary(chat: Chat) -> None:
    draft = load(chat)
    d = draft.token

    def edit(field: str) -> Button:
        return Button(chat.t(f"cx.btn.ed.{field}"), EditField(d, field).pack())  # type: ignore[arg-type]

    # Photos and place were one step for an aspiration: one button changes them.
    media = [edit("extras")] if draft.one_step_extras else [edit("photos"), edit("loc")]
    rows = [[Button(chat.t("cx.btn.send"), Send(d).pack())], [edit("desc"), edit("kind")], media,
            [edit("agency"), edit("privacy")], cancel_row(chat)]
    chat.reply(draft_summary(chat.locale, draft), rows)


@router.callback(EditField)
async def on_edit(chat: Chat, cb: EditField) -> None:
    current(chat, Filing.confirm, cb.draft)
    step = Filing.step(f"{Filing.prefix}.{cb.field}")
    assert step is not None  # every EditField choice names a step
    await Filing.edit(chat, step)  # its answer comes back here


@router.callback(BackToSummary)
async def on_back(chat: Chat, cb: BackToSummary) -> None:
    current(chat, Filing.confirm, cb.draft)
    await Filing.confirm.enter(chat)


@router.step(Filing.confirm)
async def confirm_typed(chat: Chat) -> None:
    if not keep_media(chat):
        chat.reply(chat.t("cx.hint.summary"))
    await Filing.confirm.enter(chat)


# --- sending

def _give_receipt(chat: Chat, r: Receipt, *, again: bool = False) -> None:
    """The receipt, backed by a held notice: it reaches the person even if this reply is lost."""
    reply = views.receipt(chat.locale, r, chat.settings.tz)
    if again:
        reply = replace(reply, text=f"{chat.t('cx.already_sent')}\n\n{reply.text}")
    chat.confirm(reply, HeldReceipt.of(r, chat.settings.tz.key), f"cx.receipt:{r.id}")


async def _answer_filed(chat: Chat, token: str) -> bool:
    """A repeated press of a sent draft's button answers with what the first did: its receipt."""
    done = filed(chat)
    if not token or token != done.filed_draft or Filing.confirm.is_current(chat):
        return False
    _give_receipt(chat, await tracking.receipt(chat.uow, chat.person, done.filed_report, policy=policy(chat)),
                  again=True)
    return True


@router.callback(Send)
async def on_send(chat: Chat, cb: Send) -> None:
    if await _answer_filed(chat, cb.draft):
        return
    draft = current(chat, Filing.confirm, cb.draft)
    if not draft.duplicates_ok:
        found = await filing.find_similar(chat.uow, chat.person, draft.description, draft.agency_id,
                                          now=chat.now, policy=policy(chat))
        if found:
            chat.replies.append(similar_offer(chat.locale, found, draft.token))
            return
    await _file(chat)


@router.callback(SendAnyway)
async def on_force(chat: Chat, cb: SendAnyway) -> None:
    if await _answer_filed(chat, cb.draft):
        return
    chat.save(replace(current(chat, Filing.confirm, cb.draft), duplicates_ok=True))
    await _file(chat)


@router.callback(FollowInstead)
async def on_follow_instead(chat: Chat, cb: FollowInstead) -> None:
    current(chat, Filing.confirm, cb.draft)
    number = await tracking.follow(chat.uow, chat.person, cb.report_id, now=chat.now)
    chat.clear()
    chat.reply(chat.t("cx.followed_instead", number=number),
               [[Button(chat.t("cx.btn.view"), ViewReport(cb.report_id).pack())],
                [Button(chat.t("menu.back"), "menu")]])


async def _file(chat: Chat) -> None:
    draft = load(chat)
    try:
        r = await filing.file(chat.uow, chat.person, draft.for_service(), now=chat.now, policy=policy(chat))
    except DomainError as e:
        # The draft stays as it is: the person can send it later or change it.
        say_error(chat, e, [[Button(chat.t("cx.btn.send"), Send(draft.token).pack())],
                            [Button(chat.t("cx.btn.edit"), BackToSummary(draft.token).pack())], cancel_row(chat)])
        return
    chat.clear()
    chat.save(Filed(draft.token, r.id))  # a second press of this draft's "send" answers with this report
    _give_receipt(chat, r)
