"""What it is: the kind (pengaduan, aspirasi, informasi), then the description in the person's words."""

from __future__ import annotations

from dataclasses import replace

from handlers.chat import Chat
from handlers.complaints import views
from handlers.complaints.callbacks import PickKind
from handlers.complaints.filing.base import cancel_row, joined, of_draft, policy, router, say_error, usable
from handlers.complaints.filing.draft import load
from handlers.complaints.filing.media import keep_file, keep_location, keep_media
from handlers.complaints.filing.steps import Filing
from handlers.kit import Button, Kind
from handlers.render import escape
from services.complaints import filing
from services.errors import InvalidInput

KIND_WORDS = {"pengaduan": {"pengaduan", "aduan", "complaint"}, "aspirasi": {"aspirasi", "saran", "suggestion"},
              "informasi": {"informasi", "info", "information"}}


# --- kind

@Filing.kind.asks
def ask_kind(chat: Chat) -> None:
    token = load(chat).token
    chat.reply(chat.t("cx.ask.kind"), [[Button(chat.t(f"cx.kind.{k}"), PickKind(token, k).pack())]
                                       for k in views.KINDS] + [cancel_row(chat)])


async def _set_kind(chat: Chat, kind: str) -> None:
    chat.save(replace(load(chat), kind=filing.check_kind(kind)))
    await Filing.advance(chat)  # the description is skipped when it was told up front


@router.callback(PickKind, during=Filing.kind)
async def on_kind(chat: Chat, cb: PickKind) -> None:
    of_draft(chat, cb.draft)
    await _set_kind(chat, cb.kind)


@router.step(Filing.kind)
async def kind_typed(chat: Chat) -> None:
    if keep_media(chat):
        await Filing.kind.enter(chat)
        return
    text = chat.incoming.text if chat.incoming.kind is Kind.TEXT else ""
    words = text.lower().split()
    typed_kind = next((k for w in words for k, names in KIND_WORDS.items() if w.strip(".,!") in names), None)
    if typed_kind and len(words) <= 3:  # "pengaduan saja": the kind, typed instead of pressed
        await _set_kind(chat, typed_kind)
        return
    draft = load(chat)
    description = usable(chat, joined(draft, text))
    if description and not draft.description:  # they went straight to describing it: keep that
        chat.save(replace(draft, description=description, told=True, description_start=""))
        chat.reply(chat.t("cx.prefilled", description=escape(description)))
    else:
        chat.reply(chat.t("cx.hint.buttons"))
    await Filing.kind.enter(chat)


# --- description

@Filing.desc.asks
def ask_desc(chat: Chat) -> None:
    """Each kind asks its own question: a complaint what/where/since when, an idea what it improves…"""
    p, draft = policy(chat), load(chat)
    text = chat.t(f"cx.ask.desc.{draft.kind}", kind=chat.t(f"cx.kind.{draft.kind}"), min=p.desc_min,
                  max=p.desc_max)
    if draft.description_start:
        text += "\n\n" + chat.t("cx.ask.desc_continue", words=escape(draft.description_start))
    chat.reply(text, [cancel_row(chat)])


@router.step(Filing.desc)
async def desc_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        draft = keep_file(chat)
        if draft is None:
            return
        if usable(chat, inc.text):  # a photo with its story as the caption
            chat.save(replace(draft, description=inc.text.strip()))
            await Filing.advance(chat)
            return
        chat.reply(chat.t("cx.desc.photo_kept", n=len(draft.photos)), [cancel_row(chat)])
        return
    if inc.kind is Kind.LOCATION and inc.location:
        keep_location(chat, *inc.location)
        chat.reply(chat.t("cx.desc.location_kept"), [cancel_row(chat)])
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.desc.text_please"), [cancel_row(chat)])
        return
    draft = load(chat)
    try:
        description = filing.clean_description(joined(draft, inc.text), policy(chat))
    except InvalidInput as e:
        say_error(chat, e)
        return
    # Typed on its own step: nothing more to join, and new words may have new duplicates.
    chat.save(replace(draft, description=description, description_start="", told=False, duplicates_ok=False))
    await Filing.advance(chat)
