"""Where it is: a complaint's place step, or an aspiration's one optional step for photos and place."""

from __future__ import annotations

from dataclasses import replace

from handlers.chat import Chat
from handlers.complaints.callbacks import ExtrasDone, SkipPlace
from handlers.complaints.filing.base import of_draft, policy, router, say_error
from handlers.complaints.filing.draft import load
from handlers.complaints.filing.media import (
    keep_file,
    keep_location,
    location_keyboard,
    place_done,
    step_rows,
)
from handlers.complaints.filing.photos import SKIP_WORDS
from handlers.complaints.filing.steps import Filing
from handlers.kit import Kind
from services.complaints import filing
from services.errors import InvalidInput


def _skipped(chat: Chat, text: str) -> bool:
    return text.lower() in SKIP_WORDS or text == chat.t("cx.btn.skip_text")


async def _place_given(chat: Chat) -> bool:
    """A shared point or a typed address: kept and the step left (True); refused: said, stay."""
    inc = chat.incoming
    try:
        if inc.kind is Kind.LOCATION and inc.location:
            keep_location(chat, *inc.location)
        else:
            chat.save(replace(load(chat), address=filing.clean_address(inc.text.strip())))
    except InvalidInput as e:
        say_error(chat, e, step_rows(chat, load(chat)))
        return False
    await place_done(chat, "cx.loc.saved")
    return True


# --- a complaint's place

@Filing.loc.asks
def ask_location(chat: Chat) -> None:
    chat.reply(chat.t("cx.ask.loc"), keyboard=location_keyboard(chat))
    chat.reply(chat.t("cx.ask.loc_inline"), step_rows(chat, load(chat)))


@router.step(Filing.loc)
async def location_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind is Kind.LOCATION and inc.location:
        await _place_given(chat)
        return
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        draft = keep_file(chat)
        if draft is not None:
            chat.reply(chat.t("cx.loc.photo_added", n=len(draft.photos)), step_rows(chat, draft))
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.loc.hint"), step_rows(chat, load(chat)))
        return
    if _skipped(chat, inc.text.strip()):
        await place_done(chat, "cx.loc.skipped")
        return
    await _place_given(chat)


@router.callback(SkipPlace, during=Filing.loc)
async def location_skip(chat: Chat, cb: SkipPlace) -> None:
    of_draft(chat, cb.draft)
    await place_done(chat, "cx.loc.skipped")


# --- photos and place in one optional step (aspirasi, informasi)

@Filing.extras.asks
def ask_extras(chat: Chat) -> None:
    draft = load(chat)
    chat.reply(chat.t(f"cx.ask.extras.{draft.kind}", max=policy(chat).max_photos), keyboard=location_keyboard(chat))
    chat.reply(chat.t("cx.ask.extras_inline"), step_rows(chat, draft))


@router.step(Filing.extras)
async def extras_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        draft = keep_file(chat)
        if draft is not None:  # more photos or a place may follow: stay
            chat.reply(chat.t("cx.extras.photo_added", n=len(draft.photos), max=policy(chat).max_photos),
                       step_rows(chat, draft))
        return
    if inc.kind is Kind.LOCATION and inc.location:
        await _place_given(chat)
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.extras.hint"), step_rows(chat, load(chat)))
        return
    if _skipped(chat, inc.text.strip()):
        await _extras_done(chat)
        return
    await _place_given(chat)


@router.callback(ExtrasDone, during=Filing.extras)
async def extras_done(chat: Chat, cb: ExtrasDone) -> None:
    of_draft(chat, cb.draft)
    await _extras_done(chat)


async def _extras_done(chat: Chat) -> None:
    draft = load(chat)
    await place_done(chat, "cx.extras.done" if draft.photos or draft.has_place else "cx.extras.none")
