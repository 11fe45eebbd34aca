"""Photos and places sent during a filing: kept on whatever step they arrive, explained when refused."""

from __future__ import annotations

from dataclasses import replace

from handlers.chat import Chat
from handlers.complaints.callbacks import ExtrasDone, PhotosDone, SkipPlace
from handlers.complaints.filing.base import cancel_row, policy, say_error
from handlers.complaints.filing.draft import FilingDraft, load
from handlers.complaints.filing.steps import Filing
from handlers.kit import Button, KeyButton, Kind
from services.complaints import filing
from services.errors import InvalidInput


def step_rows(chat: Chat, draft: FilingDraft) -> list[list[Button]]:
    """The current media step's way on (next / skip) and cancel, shown again with every hint."""
    if Filing.photos.is_current(chat):
        return [[Button(chat.t("cx.btn.next"), PhotosDone(draft.token).pack())], cancel_row(chat)]
    if Filing.loc.is_current(chat):
        return [[Button(chat.t("cx.btn.skip"), SkipPlace(draft.token).pack())], cancel_row(chat)]
    if Filing.extras.is_current(chat):
        label = "cx.btn.next" if draft.photos else "cx.btn.skip"
        return [[Button(chat.t(label), ExtrasDone(draft.token).pack())], cancel_row(chat)]
    return [cancel_row(chat)]


def location_keyboard(chat: Chat) -> list[list[KeyButton]]:
    # Only the button Telegram needs to share a location; skipping is the one inline button.
    return [[KeyButton(chat.t("cx.btn.send_location"), request_location=True)]]


def keep_file(chat: Chat) -> FilingDraft | None:
    """Add the photo (or image file) to the draft; explain and stay (None) when it cannot be used."""
    inc = chat.incoming
    p = policy(chat)
    draft = load(chat)
    try:
        if inc.file is None:
            raise InvalidInput("cx.err.not_image")
        if len(draft.photos) >= p.max_photos:
            raise InvalidInput("cx.err.too_many_photos", max=p.max_photos)
        photo = filing.check_attachment(inc.kind is Kind.PHOTO, inc.file.file_id, inc.file.size,
                                        inc.file.mime_type, p)
    except InvalidInput as e:
        say_error(chat, e, step_rows(chat, draft))
        return None
    draft = replace(draft, photos=[*draft.photos, [photo.kind, photo.file_id]])
    chat.save(draft)
    return draft


def keep_location(chat: Chat, lat: float, lon: float) -> FilingDraft:
    latitude, longitude = filing.check_location(lat, lon)
    draft = replace(load(chat), latitude=latitude, longitude=longitude)
    chat.save(draft)
    return draft


def keep_media(chat: Chat) -> bool:
    """A photo or location sent on a step that asks for something else is kept, not dropped."""
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        draft = keep_file(chat)
        if draft is not None:
            chat.reply(chat.t("cx.media.kept_photo", n=len(draft.photos)))
        return True
    if inc.kind is Kind.LOCATION and inc.location:
        keep_location(chat, *inc.location)
        chat.reply(chat.t("cx.media.kept_location"))
        return True
    return False


async def place_done(chat: Chat, key: str) -> None:
    """Leave the place (or extras) step: say so, drop the location keyboard, go on."""
    chat.reply(chat.t(key), remove_keyboard=True)  # the location keyboard has done its job
    await Filing.advance(chat)
