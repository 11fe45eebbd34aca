"""/umumkan: type the broadcast, see it exactly as recipients will, pick the audience, send.

Thin on purpose: every action is one service call, which checks the role (HR or superadmin);
a forged button or a citizen's /umumkan gets the same refusal from the service.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from handlers.broadcasts import views
from handlers.broadcasts.callbacks import (
    Again,
    Aud,
    BcDraft,
    Compose,
    Edit,
    Export,
    Filtering,
    Later,
    News,
    Rush,
    Schedule,
    Scheduling,
    Send,
    Show,
    Start,
    Stop,
)
from handlers.features import bot
from handlers.flow import Step
from handlers.kit import Attachment, Button, Kind
from handlers.menu import Menu
from handlers.router import Chat, Router
from services.broadcasts import audience as aud
from services.broadcasts import followup, manage, progress
from services.broadcasts.manage import Draft
from services.errors import DomainError, InvalidInput
from services.roles import ADMINS
from services.xlsx import workbook

router = Router("broadcasts")
# HR's buttons and command (not bc:nw, a citizen's own /kabar choice): refused and audited first.
router.restrict(Start, Aud, Show, Send, Schedule, Stop, Export, Edit, Rush, Later, Again,
                commands=("umumkan", "broadcast"), roles=ADMINS)


def show_draft(chat: Chat, d: Draft, lead: str | None = None, *, with_preview: bool = True,
               edit: bool = False) -> None:
    """The preview (the recipients' very copy) and under it the audience, the count and the buttons;
    in quiet hours a note that a plain "Kirim" would wait for the morning."""
    if with_preview:
        chat.replies.append(views.preview(chat.locale, d, chat.settings.instance_name, chat.settings.hr_agency))
    quiet, tz = chat.settings.quiet, chat.settings.tz
    at = manage.held_until(quiet, chat.now, tz)
    s = views.summary(chat.locale, d, lead, views.quiet_note(chat.locale, quiet, at, tz) if at else None)
    chat.reply(s.text, s.buttons, edit=edit)


def _back(chat: Chat, broadcast_id: int | None) -> list[list[Button]]:
    if broadcast_id:
        return [[Button(chat.t("bc.btn.back"), Show(broadcast_id).pack())]]
    return [[Button(chat.t("bc.btn.cancel"), Menu().pack())]]


# --- composing ------------------------------------------------------------------------------------

@router.command("umumkan", "broadcast")
async def umumkan(chat: Chat) -> None:
    manage.check(chat.person)  # refused before anything is asked
    chat.clear()
    await Compose.start(chat)


@router.callback(Start)
async def start(chat: Chat, _cb: Start) -> None:
    await umumkan(chat)


async def _draft_to_change(chat: Chat, broadcast_id: int) -> Draft | None:
    """The draft a button changes, remembered as the flow's; None (and said) once it is sent."""
    d = await manage.get(chat.uow, chat.person, broadcast_id)
    if d.status != "draft":
        chat.reply(chat.t("bc.err.not_draft"))
        return None
    chat.clear()
    chat.save(BcDraft(d.id))
    return d


@router.callback(Edit)
async def edit(chat: Chat, cb: Edit) -> None:
    if await _draft_to_change(chat, cb.broadcast_id) is None:  # typed again, it replaces the text
        return
    await Compose.text.enter(chat)


@Compose.text.asks
def ask_text(chat: Chat) -> None:
    chat.reply(chat.t("bc.ask_text"), _back(chat, chat.load(BcDraft).broadcast_id or None))


@router.step(Compose.text)
async def text_typed(chat: Chat) -> None:
    inc, bid = chat.incoming, chat.load(BcDraft).broadcast_id
    kind = {Kind.PHOTO: "photo", Kind.DOCUMENT: "document"}.get(inc.kind)
    if inc.kind is not Kind.TEXT and kind is None:
        chat.reply(chat.t("bc.text_only") + "\n\n" + chat.t("bc.ask_text"), _back(chat, bid or None))
        return
    file_id, file_name = (inc.file.file_id, inc.file.name) if inc.file else (None, None)
    try:
        if bid:
            d = await manage.set_content(chat.uow, chat.person, bid, inc.text, attachment_kind=kind,
                                         file_id=file_id, file_name=file_name)
        else:
            d = await manage.create(chat.uow, chat.person, inc.text, attachment_kind=kind, file_id=file_id,
                                    file_name=file_name, now=chat.now)
    except DomainError as e:
        if e.code in ("error.forbidden", "bc.err.not_found", "bc.err.not_draft"):
            raise
        chat.reply(chat.error_text(e) + "\n\n" + chat.t("bc.ask_text"), _back(chat, bid or None))
        return
    chat.clear()
    show_draft(chat, d, chat.t("bc.preview_above"))


@router.callback(Show)
async def show(chat: Chat, cb: Show) -> None:
    chat.clear()
    d = await manage.get(chat.uow, chat.person, cb.broadcast_id)
    if d.status != "draft":
        chat.reply(chat.t("bc.err.not_draft"))
        return
    show_draft(chat, d, chat.t("bc.preview_above"))


# --- the audience ---------------------------------------------------------------------------------

TYPED: dict[str, Step] = {"agency": Filtering.agencies, "gol": Filtering.golongan, "kind": Filtering.kinds}


@router.callback(Aud)
async def audience(chat: Chat, cb: Aud) -> None:
    chat.clear()
    current = await manage.audience_of(chat.uow, chat.person, cb.broadcast_id)
    if cb.kind in TYPED:
        await manage.get(chat.uow, chat.person, cb.broadcast_id)
        chat.save(BcDraft(cb.broadcast_id))
        await TYPED[cb.kind].enter(chat)
        return
    if cb.kind == "all":
        new = aud.Audience()
    elif cb.kind == "cit":
        new = aud.citizens()
    elif cb.kind in ("pns", "pppk"):
        new = aud.with_employment(current, cb.kind.upper())
    else:
        # A subscription topic, as its feature registers it (Aud.valid: a registered key).
        new = aud.with_topic(current, cb.kind, {tp.key: tp.default for tp in bot().topics})
    d = await manage.set_audience(chat.uow, chat.person, cb.broadcast_id, new)
    show_draft(chat, d, with_preview=False, edit=True)


def _ask(key: str) -> Callable[[Chat], None]:  # a tiny factory of @asks functions
    def ask(chat: Chat) -> None:
        chat.reply(chat.t(key), _back(chat, chat.load(BcDraft).broadcast_id))
    return ask


Filtering.agencies.asks(_ask("bc.ask_agencies"))
Filtering.golongan.asks(_ask("bc.ask_golongan"))
Filtering.kinds.asks(_ask("bc.ask_kinds"))


@router.step(Filtering.agencies, Filtering.golongan, Filtering.kinds)
async def filter_typed(chat: Chat) -> None:
    bid = chat.load(BcDraft).broadcast_id
    step = chat.state
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("bc.text_only"), _back(chat, bid))
        return
    text = chat.incoming.text
    try:
        current = await manage.audience_of(chat.uow, chat.person, bid)
        if step == Filtering.agencies.name:
            new = await aud.with_agencies(chat.uow, current, text)
        elif step == Filtering.golongan.name:
            new = aud.with_golongan(current, text)
        else:
            new = aud.with_kinds(current, text)
        d = await manage.set_audience(chat.uow, chat.person, bid, new)
    except DomainError as e:
        if e.code in ("error.forbidden", "bc.err.not_found", "bc.err.not_draft"):
            raise
        chat.reply(chat.error_text(e), _back(chat, bid))
        return
    chat.clear()
    show_draft(chat, d, chat.t("bc.filter_saved"))


# --- sending, scheduling, stopping ----------------------------------------------------------------

@router.callback(Send)
async def send(chat: Chat, cb: Send) -> None:
    chat.clear()
    d = await manage.confirm(chat.uow, chat.person, cb.broadcast_id, now=chat.now, quiet=chat.settings.quiet,
                             tz=chat.settings.tz, urgent=cb.urgent, instance=chat.settings.instance_name,
                             hr_agency=chat.settings.hr_agency, progress_chat_id=chat.person.chat_id,
                             progress_message_id=chat.incoming.message_id)
    r = views.queued(chat.locale, d, chat.settings.tz, chat.now)
    chat.reply(r.text, r.buttons, edit=True)


@router.callback(Schedule)
async def schedule(chat: Chat, cb: Schedule) -> None:
    if await _draft_to_change(chat, cb.broadcast_id) is None:
        return
    await Scheduling.time.enter(chat)


@Scheduling.time.asks
def ask_time(chat: Chat) -> None:
    draft = chat.load(BcDraft)
    chat.reply(chat.t("bc.ask_time"), _back(chat, None if draft.waiting else draft.broadcast_id))


@router.step(Scheduling.time)
async def time_typed(chat: Chat) -> None:
    draft = chat.load(BcDraft)
    bid, quiet, tz = draft.broadcast_id, chat.settings.quiet, chat.settings.tz
    try:
        at = manage.parse_time(chat.incoming.text if chat.incoming.kind is Kind.TEXT else "", chat.now, tz)
    except DomainError as e:
        chat.reply(chat.error_text(e) + "\n\n" + chat.t("bc.ask_time"), _back(chat, None if draft.waiting else bid))
        return
    if draft.waiting:  # a held broadcast moved to another time
        try:
            d = await followup.reschedule(chat.uow, chat.person, bid, at, now=chat.now, quiet=quiet, tz=tz)
        except InvalidInput as e:  # it went out (or was stopped) while the time was being typed
            chat.clear()
            chat.reply(chat.error_text(e))
            return
    else:
        d = await manage.confirm(chat.uow, chat.person, bid, now=chat.now, quiet=quiet, tz=tz, at=at,
                                 instance=chat.settings.instance_name, hr_agency=chat.settings.hr_agency,
                                 progress_chat_id=chat.person.chat_id)
    chat.clear()
    r = views.queued(chat.locale, d, chat.settings.tz, chat.now)
    chat.reply(r.text, r.buttons)


@router.callback(Stop)
async def stop(chat: Chat, cb: Stop) -> None:
    chat.clear()
    r = await manage.cancel(chat.uow, chat.person, cb.broadcast_id, now=chat.now)
    key = "bc.stopped.running" if r.started else "bc.stopped.before"
    # The progress message says it, with a way to start again from the same text and audience.
    chat.reply(chat.t(key, id=r.id, cancelled=r.cancelled), [views.again_button(chat.locale, r.id)], edit=True)


@router.callback(Export)
async def export(chat: Chat, cb: Export) -> None:
    rows = await progress.undelivered(chat.uow, chat.person, cb.broadcast_id)
    zone = chat.now.astimezone(chat.settings.tz).tzname() or ""
    sheet = views.undelivered_sheet(chat.locale, zone, cb.broadcast_id, rows)
    content = await asyncio.to_thread(workbook, [sheet], tz=chat.settings.tz)
    chat.reply(chat.t("bc.export_caption", id=cb.broadcast_id),
               attachment=Attachment("document", content=content, filename=f"umumkan-{cb.broadcast_id}.xlsx"))


# --- citizens' opt-in -----------------------------------------------------------------------------

async def _news(chat: Chat, on: bool, lead: str | None = None) -> None:
    text = chat.t("bc.news.on" if on else "bc.news.off")
    button = Button(chat.t("bc.btn.news_off" if on else "bc.btn.news_on"), News(not on).pack())
    chat.reply(f"{lead}\n\n{text}" if lead else text, [[button], [Button(chat.t("menu.back"), Menu().pack())]],
               edit=chat.incoming.kind is Kind.CALLBACK)


@router.command("kabar", "news")
async def kabar(chat: Chat) -> None:
    await _news(chat, await progress.news(chat.uow, chat.person))


@router.callback(News)
async def news(chat: Chat, cb: News) -> None:
    on = await progress.set_news(chat.uow, chat.person, cb.on, now=chat.now)
    await _news(chat, on, chat.t("bc.news.saved"))


router.menu_item("bc.menu", Start(), roles=ADMINS, order=77)
router.help("bc.help", ADMINS)
router.help("bc.news.help")
