"""Where a filing starts: /lapor, the menu, a sentence ("mau lapor jalan rusak"), a photo, a location.

A new draft is seeded with whatever the person already sent, so nothing they gave is lost.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from handlers.chat import Chat
from handlers.complaints.callbacks import NewReport
from handlers.complaints.filing.base import policy, router, say_error, usable
from handlers.complaints.filing.draft import FilingDraft
from handlers.complaints.filing.steps import Filing
from handlers.kit import Kind
from handlers.render import escape
from services.complaints import filing
from services.complaints.dto import Photo
from services.errors import InvalidInput

# Words that only say "I want to report": what follows them is the report itself
# ("mau lapor pungli di kelurahan" → "pungli di kelurahan").
TRIGGER_WORDS = {"mau", "ingin", "pengen", "pingin", "hendak", "saya", "aku", "sy", "minta", "mohon", "tolong",
                 "buat", "bikin", "membuat", "lapor", "laporan", "melapor", "melaporkan", "laporkan", "ngadu",
                 "pengaduan", "aduan", "mengadu", "mengadukan", "keluhan", "aspirasi", "saran", "usul", "usulan",
                 "informasi", "info", "tentang", "soal", "mengenai", "perihal", "i", "want", "to", "would",
                 "like", "make", "file", "a", "an", "report", "complain", "complaint", "about", "suggestion"}


async def start(chat: Chat, description: str | None = None, *, photo: Photo | None = None,
                location: tuple[float, float] | None = None, beginning: str | None = None) -> None:
    """A new draft, seeded with what the person sent; `beginning` is text too short to be the description."""
    chat.clear()
    draft = FilingDraft(token=secrets.token_hex(3), privacy=await filing.privacy_pref(chat.uow, chat.person),
                        photos=[[photo.kind, photo.file_id]] if photo else [])
    if description:
        draft = replace(draft, description=description, told=True)
    elif beginning:
        draft = replace(draft, description_start=beginning)
    if location:
        draft = replace(draft, latitude=location[0], longitude=location[1])
    chat.save(draft)
    if description:
        chat.reply(chat.t("cx.prefilled", description=escape(description)))
    elif beginning:
        chat.reply(chat.t("cx.prefilled_short", words=escape(beginning), min=policy(chat).desc_min))
    elif photo or location:
        chat.reply(chat.t("cx.prefilled_media"))
    await Filing.start(chat)


async def start_from_text(chat: Chat, text: str) -> None:
    """A draft from a sentence: the words after "mau lapor…" are the description, or its start."""
    told = _after_trigger(text)
    description = usable(chat, told)
    short = not description and 0 < len(told) < policy(chat).desc_min
    await start(chat, description, beginning=told if short else None)


def _after_trigger(text: str) -> str:
    words = text.split()
    i = 0
    while i < len(words) and words[i].strip(".,:;!?-").lower() in TRIGGER_WORDS:
        i += 1
    return " ".join(words[i:]) if i else text.strip()


@router.command("lapor", "aduan", "report", "complain")
async def cmd_report(chat: Chat) -> None:
    await start_from_text(chat, chat.incoming.args)


@router.callback(NewReport)
async def btn_new(chat: Chat, cb: NewReport) -> None:
    await start(chat)


@router.intent("cx.start", ["lapor", "mau lapor", "buat laporan", "pengaduan", "buat pengaduan", "aduan",
                            "mengadu", "keluhan", "aspirasi", "saran", "minta informasi", "report a problem",
                            "complaint", "i want to complain", "make a report"])
async def intent_start(chat: Chat) -> None:
    await start_from_text(chat, chat.incoming.text)


@router.intent("cx.describe", ["jalan rusak", "jalan berlubang", "lampu jalan mati", "sampah menumpuk",
                               "sampah tidak diangkut", "banjir", "drainase tersumbat", "selokan mampet",
                               "pohon tumbang", "parkir liar", "pungli", "pelayanan lambat", "pelayanan buruk",
                               "ktp belum jadi", "antrian puskesmas", "air pdam mati", "sampah numpuk",
                               "got mampet", "lampu mati", "jalan becek", "air tidak mengalir", "pothole",
                               "broken road", "street light broken", "garbage not collected"])
async def intent_describe(chat: Chat) -> None:
    await start_from_text(chat, chat.incoming.text)


@router.kind(Kind.PHOTO)
async def photo_outside_a_flow(chat: Chat) -> None:
    """A photo sent out of the blue is most likely a problem to report: start one with it."""
    inc = chat.incoming
    try:
        if inc.file is None:
            raise InvalidInput("cx.err.not_image")
        photo = filing.check_attachment(True, inc.file.file_id, inc.file.size, inc.file.mime_type, policy(chat))
    except InvalidInput as e:
        say_error(chat, e)
        return
    await start(chat, usable(chat, inc.text), photo=photo)


@router.kind(Kind.LOCATION)
async def location_outside_a_flow(chat: Chat) -> None:
    if chat.incoming.location is None:
        return
    await start(chat, location=filing.check_location(*chat.incoming.location))
