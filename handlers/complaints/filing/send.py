"""The summary, changing a part of it, the look for similar reports, and sending with a backed receipt."""

from __future__ import annotations

from dataclasses import replace

from handlers.callbacks import StaleButton
from handlers.chat import Chat
from handlers.complaints import views
from handlers.complaints.callbacks import (
    BackToSummary,
    EditField,
    Field,
    FollowInstead,
    Send,
    SendAnyway,
    ViewReport,
)
from handlers.complaints.filing.base import cancel_row, of_draft, policy, router, say_error
from handlers.complaints.filing.draft import Filed, filed, load
from handlers.complaints.filing.media import keep_media
from handlers.complaints.filing.steps import Filing
from handlers.complaints.filing.views import draft_summary, similar_offer
from handlers.kit import Button
from handlers.menu import Menu
from services.complaints import filing, tracking
from services.complaints.dto import Receipt
from services.complaints.notices import HeldReceipt
from services.errors import DomainError


@Filing.confirm.asks
def show_summary(chat: Chat) -> None:
    draft = load(chat)
    d = draft.token

    def edit(field: Field) -> Button:
        return Button(chat.t(f"cx.btn.ed.{field}"), EditField(d, field).pack())

    # Photos and place were one step for an aspiration: one button changes them.
    media = [edit("extras")] if draft.one_step_extras else [edit("photos"), edit("loc")]
    rows = [[Button(chat.t("cx.btn.send"), Send(d).pack())], [edit("desc"), edit("kind")], media,
            [edit("agency"), edit("privacy")], cancel_row(chat)]
    chat.reply(draft_summary(chat.locale, draft), rows)


@router.callback(EditField, during=Filing.confirm)
async def on_edit(chat: Chat, cb: EditField) -> None:
    of_draft(chat, cb.draft)
    step = Filing.step(f"{Filing.prefix}.{cb.field}")
    assert step is not None  # every EditField choice names a step
    await Filing.edit(chat, step)  # its answer comes back here


@router.callback(BackToSummary, during=Filing.confirm)
async def on_back(chat: Chat, cb: BackToSummary) -> None:
    of_draft(chat, cb.draft)
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


async def _filed_again(chat: Chat, cb: Send | SendAnyway) -> None:
    """Away from the summary, a repeated press of a sent draft's button answers with what the first
    did: its receipt. Any other draft's button there is stale."""
    done = filed(chat)
    if not cb.draft or cb.draft != done.filed_draft:
        raise StaleButton(chat.incoming.text)
    _give_receipt(chat, await tracking.receipt(chat.uow, chat.person, done.filed_report, policy=policy(chat)),
                  again=True)


@router.callback(Send, during=Filing.confirm, otherwise=_filed_again)
async def on_send(chat: Chat, cb: Send) -> None:
    draft = of_draft(chat, cb.draft)
    if not draft.duplicates_ok:
        found = await filing.find_similar(chat.uow, chat.person, draft.description, draft.agency_id,
                                          now=chat.now, policy=policy(chat))
        if found:
            chat.replies.append(similar_offer(chat.locale, found, draft.token))
            return
    await _file(chat)


@router.callback(SendAnyway, during=Filing.confirm, otherwise=_filed_again)
async def on_force(chat: Chat, cb: SendAnyway) -> None:
    chat.save(replace(of_draft(chat, cb.draft), duplicates_ok=True))
    await _file(chat)


@router.callback(FollowInstead, during=Filing.confirm)
async def on_follow_instead(chat: Chat, cb: FollowInstead) -> None:
    of_draft(chat, cb.draft)
    number = await tracking.follow(chat.uow, chat.person, cb.report_id, now=chat.now)
    chat.clear()
    chat.reply(chat.t("cx.followed_instead", number=number),
               [[Button(chat.t("cx.btn.view"), ViewReport(cb.report_id).pack())],
                [Button(chat.t("menu.back"), Menu().pack())]])


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
