"""The photos step of a complaint: any number up to the limit, then "next" (or "skip")."""

from __future__ import annotations

from dataclasses import replace

from handlers.chat import Chat
from handlers.complaints.callbacks import PhotosClear, PhotosDone
from handlers.complaints.filing.base import cancel_row, of_draft, policy, router, say_error, usable
from handlers.complaints.filing.draft import load
from handlers.complaints.filing.media import keep_file, keep_location, step_rows
from handlers.complaints.filing.steps import Filing
from handlers.kit import Button, Kind
from handlers.render import escape
from services.complaints import filing
from services.errors import InvalidInput

SKIP_WORDS = {"lewati", "lanjut", "skip", "next", "selesai", "done", "tidak", "no", "-"}


def photos_prompt(chat: Chat, *, again: bool = False) -> None:
    """The question, or (`again`) the count after a photo came in."""
    draft = load(chat)
    n = len(draft.photos)
    key = "cx.photos.got" if again else "cx.ask.photos"
    rows = [[Button(chat.t("cx.btn.next" if n else "cx.btn.skip"), PhotosDone(draft.token).pack())]]
    if n and not again:
        rows.append([Button(chat.t("cx.btn.clear_photos"), PhotosClear(draft.token).pack())])
    chat.reply(chat.t(key, n=n, max=policy(chat).max_photos), rows + [cancel_row(chat)])


@Filing.photos.asks
def ask_photos(chat: Chat) -> None:
    photos_prompt(chat)


@router.step(Filing.photos)
async def photos_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        if keep_file(chat) is not None:
            photos_prompt(chat, again=True)
        return
    draft = load(chat)
    if inc.kind is Kind.LOCATION and inc.location:
        draft = keep_location(chat, *inc.location)
    elif inc.kind is Kind.TEXT and inc.text.strip().lower() in SKIP_WORDS:
        await Filing.advance(chat)
        return
    elif inc.kind is Kind.TEXT and draft.told and usable(chat, inc.text):
        # The description was a sentence said in passing ("mau lapor jalan rusak"): this is the
        # person saying more, so it is added to it rather than refused as "not a photo".
        try:
            description = filing.clean_description(f"{draft.description}\n{inc.text.strip()}", policy(chat))
        except InvalidInput as e:
            say_error(chat, e, step_rows(chat, draft))
            return
        chat.save(replace(draft, description=description, duplicates_ok=False))  # new words, new duplicates
        chat.reply(chat.t("cx.desc.added", description=escape(description)))
        await Filing.photos.enter(chat)
        return
    chat.reply(chat.t("cx.photos.hint"), step_rows(chat, draft))


@router.callback(PhotosDone, during=Filing.photos)
async def photos_done(chat: Chat, cb: PhotosDone) -> None:
    of_draft(chat, cb.draft)
    await Filing.advance(chat)


@router.callback(PhotosClear, during=Filing.photos)
async def photos_clear(chat: Chat, cb: PhotosClear) -> None:
    chat.save(replace(of_draft(chat, cb.draft), photos=[]))
    await Filing.photos.enter(chat)
