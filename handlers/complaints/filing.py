"""Filing a report: kind → description → photos → place → agency → privacy → summary → send.

An aspiration or an information request asks for photos and a place in one optional step.

The draft lives in the chat's durable state; every button carries the draft's token, so a
button from an older draft or a finished one is answered as stale, never acted on.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from handlers.complaints import views
from handlers.kit import Button, KeyButton, Kind
from handlers.menu import stale_button
from handlers.render import button, escape
from handlers.router import Chat, Router
from services.complaints import filing, tracking
from services.complaints.dto import Draft, Photo, Receipt
from services.complaints.notices import HeldReceipt
from services.complaints.rules import Policy, policy_for
from services.errors import DomainError, InvalidInput

router = Router()
KIND_WORDS = {"pengaduan": {"pengaduan", "aduan", "complaint"}, "aspirasi": {"aspirasi", "saran", "suggestion"},
              "informasi": {"informasi", "info", "information"}}
EDITABLE = ("desc", "photos", "loc", "agency", "privacy", "kind", "extras")  # what the summary's edit buttons name
SKIP_WORDS = {"lewati", "lanjut", "skip", "next", "selesai", "done", "tidak", "no", "-"}
# Words that only say "I want to report": what follows them is the report itself
# ("mau lapor pungli di kelurahan" → "pungli di kelurahan").
TRIGGER_WORDS = {"mau", "ingin", "pengen", "pingin", "hendak", "saya", "aku", "sy", "minta", "mohon", "tolong",
                 "buat", "bikin", "membuat", "lapor", "laporan", "melapor", "melaporkan", "laporkan", "ngadu",
                 "pengaduan", "aduan", "mengadu", "mengadukan", "keluhan", "aspirasi", "saran", "usul", "usulan",
                 "informasi", "info", "tentang", "soal", "mengenai", "perihal", "i", "want", "to", "would",
                 "like", "make", "file", "a", "an", "report", "complain", "complaint", "about", "suggestion"}
# Kinds whose photos and place are one optional step; a complaint asks for each in turn.
ONE_STEP_EXTRAS = ("aspirasi", "informasi")


def policy(chat: Chat) -> Policy:
    return policy_for(chat.settings)


def _cancel_row(chat: Chat) -> list[Button]:
    return [Button(chat.t("btn.cancel"), "cancel")]


def _token(chat: Chat) -> str:
    return str(chat.data.get("d", ""))


def _current(chat: Chat, *states: str) -> bool:
    """A filing button counts only on the step it was shown for, for the draft it belongs to."""
    return chat.state in states and bool(chat.args) and chat.args[0] == _token(chat)


def _say_error(chat: Chat, e: DomainError, rows: list[list[Button]] | None = None) -> None:
    chat.reply(chat.t(e.code, **e.params), rows or [_cancel_row(chat)])


# --- entry points

async def start(chat: Chat, description: str | None = None, *, photo: Photo | None = None,
                location: tuple[float, float] | None = None, beginning: str | None = None) -> None:
    """A new draft, seeded with whatever the person already sent so nothing they gave is lost.

    `beginning` is text too short to be the description: it is shown and becomes its start.
    """
    chat.clear()
    privacy = await filing.privacy_pref(chat.uow, chat.person)
    data: dict[str, Any] = {"d": secrets.token_hex(3), "privacy": privacy,
                            "photos": [[photo.kind, photo.file_id]] if photo else []}
    if description:
        data["desc"], data["told"] = description, True
    elif beginning:
        data["desc_start"] = beginning
    if location:
        data["lat"], data["lon"] = location
    chat.goto("cx.kind", **data)
    if description:
        chat.reply(chat.t("cx.prefilled", description=escape(description)))
    elif beginning:
        chat.reply(chat.t("cx.prefilled_short", words=escape(beginning), min=policy(chat).desc_min))
    elif photo or location:
        chat.reply(chat.t("cx.prefilled_media"))
    ask_kind(chat)


async def start_from_text(chat: Chat, text: str) -> None:
    """A draft from a sentence: the words after "mau lapor…" are the description, or its start."""
    told = _after_trigger(text)
    description = _usable(chat, told)
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


@router.callback("cx:new")
async def btn_new(chat: Chat) -> None:
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
        photo = filing.check_attachment(True, inc.file.file_id, inc.file.size, inc.file.mime_type,
                                            policy(chat))
    except InvalidInput as e:
        _say_error(chat, e)
        return
    await start(chat, _usable(chat, inc.text), photo=photo)


@router.kind(Kind.LOCATION)
async def location_outside_a_flow(chat: Chat) -> None:
    if chat.incoming.location is None:
        return
    await start(chat, location=filing.check_location(*chat.incoming.location))


def _usable(chat: Chat, text: str) -> str | None:
    """Free text long enough to be the description is kept, so nothing typed is lost."""
    try:
        return filing.clean_description(text, policy(chat))
    except InvalidInput:
        return None


# --- kind

def ask_kind(chat: Chat) -> None:
    d = _token(chat)
    chat.reply(chat.t("cx.ask.kind"), [[button(chat.t(f"cx.kind.{k}"), "cx:k", d, k)] for k in views.KINDS]
               + [_cancel_row(chat)])


@router.callback("cx:k")
async def on_kind(chat: Chat) -> None:
    if not _current(chat, "cx.kind"):
        await stale_button(chat)
        return
    chat.data["kind"] = filing.check_kind(chat.arg_str(1))
    if chat.data.get("edit"):
        await show_summary(chat)
    elif chat.data.get("desc"):
        ask_media(chat)
    else:
        ask_desc(chat)


@router.state("cx.kind")
async def kind_typed(chat: Chat) -> None:
    if _keep_media(chat):
        ask_kind(chat)
        return
    text = chat.incoming.text if chat.incoming.kind is Kind.TEXT else ""
    words = text.lower().split()
    typed_kind = next((k for w in words for k, names in KIND_WORDS.items() if w.strip(".,!") in names), None)
    if typed_kind and len(words) <= 3:  # "pengaduan saja": the kind, typed instead of pressed
        chat.args = [_token(chat), typed_kind]
        await on_kind(chat)
        return
    description = _usable(chat, _joined(chat, text))
    if description and not chat.data.get("desc"):  # they went straight to describing it: keep that
        chat.data["desc"], chat.data["told"] = description, True
        chat.data.pop("desc_start", None)
        chat.reply(chat.t("cx.prefilled", description=escape(description)))
    else:
        chat.reply(chat.t("cx.hint.buttons"))
    ask_kind(chat)


def _keep_media(chat: Chat) -> bool:
    """A photo or location sent on a step that asks for something else is kept, not dropped."""
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        if _keep_file(chat):
            chat.reply(chat.t("cx.media.kept_photo", n=len(chat.data["photos"])))
        return True
    if inc.kind is Kind.LOCATION and inc.location:
        _keep_location(chat, *inc.location)
        chat.reply(chat.t("cx.media.kept_location"))
        return True
    return False


# --- description

def _kind(chat: Chat) -> str:
    return str(chat.data.get("kind", "pengaduan"))


def ask_desc(chat: Chat) -> None:
    """Each kind asks its own question: a complaint what/where/since when, an idea what it improves…"""
    p = policy(chat)
    chat.goto("cx.desc")
    text = chat.t(f"cx.ask.desc.{_kind(chat)}", kind=chat.t(f"cx.kind.{_kind(chat)}"), min=p.desc_min,
                  max=p.desc_max)
    if chat.data.get("desc_start"):
        text += "\n\n" + chat.t("cx.ask.desc_continue", words=escape(chat.data["desc_start"]))
    chat.reply(text, [_cancel_row(chat)])


def _joined(chat: Chat, text: str) -> str:
    """What was typed, after the words already given (unless the person typed those again)."""
    start, text = str(chat.data.get("desc_start") or ""), text.strip()
    if not start or not text or text.lower().startswith(start.lower()):
        return text
    return f"{start} {text}"


@router.state("cx.desc")
async def desc_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        if not _keep_file(chat):
            return
        if _usable(chat, inc.text):
            chat.data["desc"] = inc.text.strip()
            await _after_desc(chat)
            return
        chat.reply(chat.t("cx.desc.photo_kept", n=len(chat.data["photos"])), [_cancel_row(chat)])
        return
    if inc.kind is Kind.LOCATION and inc.location:
        _keep_location(chat, *inc.location)
        chat.reply(chat.t("cx.desc.location_kept"), [_cancel_row(chat)])
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.desc.text_please"), [_cancel_row(chat)])
        return
    try:
        chat.data["desc"] = filing.clean_description(_joined(chat, inc.text), policy(chat))
    except InvalidInput as e:
        _say_error(chat, e)
        return
    for key in ("desc_start", "told", "dup_ok"):  # typed on its own step; new words, new duplicates
        chat.data.pop(key, None)
    await _after_desc(chat)


async def _after_desc(chat: Chat) -> None:
    if chat.data.get("edit"):
        await show_summary(chat)
    else:
        ask_media(chat)


def ask_media(chat: Chat) -> None:
    """After the description: photos then place for a complaint, one optional step otherwise."""
    if _kind(chat) in ONE_STEP_EXTRAS:
        ask_extras(chat)
    else:
        ask_photos(chat)


# --- photos

def ask_photos(chat: Chat, *, again: bool = False) -> None:
    chat.goto("cx.photos")
    n = len(chat.data.get("photos") or [])
    key = "cx.photos.got" if again else "cx.ask.photos"
    rows = [[button(chat.t("cx.btn.next" if n else "cx.btn.skip"), "cx:ph", _token(chat))]]
    if n and not again:
        rows.append([button(chat.t("cx.btn.clear_photos"), "cx:phx", _token(chat))])
    chat.reply(chat.t(key, n=n, max=policy(chat).max_photos), rows + [_cancel_row(chat)])


def _keep_file(chat: Chat) -> bool:
    """Add the photo (or image file) to the draft; explain and stay when it cannot be used."""
    inc = chat.incoming
    p = policy(chat)
    photos: list[list[str]] = list(chat.data.get("photos") or [])
    try:
        if inc.file is None:
            raise InvalidInput("cx.err.not_image")
        if len(photos) >= p.max_photos:
            raise InvalidInput("cx.err.too_many_photos", max=p.max_photos)
        photo = filing.check_attachment(inc.kind is Kind.PHOTO, inc.file.file_id, inc.file.size,
                                            inc.file.mime_type, p)
    except InvalidInput as e:
        _say_error(chat, e, _step_rows(chat))
        return False
    # A new list, never an in-place change: the saved state is compared with what was loaded.
    chat.data["photos"] = [*photos, [photo.kind, photo.file_id]]
    return True


def _step_rows(chat: Chat) -> list[list[Button]]:
    if chat.state == "cx.photos":
        return [[button(chat.t("cx.btn.next"), "cx:ph", _token(chat))], _cancel_row(chat)]
    if chat.state == "cx.loc":
        return [[button(chat.t("cx.btn.skip"), "cx:loc", _token(chat))], _cancel_row(chat)]
    if chat.state == "cx.extras":
        label = "cx.btn.next" if chat.data.get("photos") else "cx.btn.skip"
        return [[button(chat.t(label), "cx:ex", _token(chat))], _cancel_row(chat)]
    return [_cancel_row(chat)]


@router.state("cx.photos")
async def photos_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        if _keep_file(chat):
            ask_photos(chat, again=True)
        return
    if inc.kind is Kind.LOCATION and inc.location:
        _keep_location(chat, *inc.location)
    elif inc.kind is Kind.TEXT and inc.text.strip().lower() in SKIP_WORDS:
        await _after_photos(chat)
        return
    elif inc.kind is Kind.TEXT and chat.data.get("told") and _usable(chat, inc.text):
        # The description was a sentence said in passing ("mau lapor jalan rusak"): this is the
        # person saying more, so it is added to it rather than refused as "not a photo".
        try:
            chat.data["desc"] = filing.clean_description(f"{chat.data['desc']}\n{inc.text.strip()}",
                                                             policy(chat))
        except InvalidInput as e:
            _say_error(chat, e, _step_rows(chat))
            return
        chat.data.pop("dup_ok", None)
        chat.reply(chat.t("cx.desc.added", description=escape(chat.data["desc"])))
        ask_photos(chat)
        return
    chat.reply(chat.t("cx.photos.hint"), _step_rows(chat))


@router.callback("cx:ph")
async def photos_done(chat: Chat) -> None:
    if not _current(chat, "cx.photos"):
        await stale_button(chat)
        return
    await _after_photos(chat)


@router.callback("cx:phx")
async def photos_clear(chat: Chat) -> None:
    if not _current(chat, "cx.photos"):
        await stale_button(chat)
        return
    chat.data["photos"] = []
    ask_photos(chat)


async def _after_photos(chat: Chat) -> None:
    if chat.data.get("edit"):
        await show_summary(chat)
    else:
        ask_location(chat)


# --- place

def _location_keyboard(chat: Chat) -> list[list[KeyButton]]:
    # Only the button Telegram needs to share a location; skipping is the one inline button.
    return [[KeyButton(chat.t("cx.btn.send_location"), request_location=True)]]


def ask_location(chat: Chat) -> None:
    chat.goto("cx.loc")
    chat.reply(chat.t("cx.ask.loc"), keyboard=_location_keyboard(chat))
    chat.reply(chat.t("cx.ask.loc_inline"), _step_rows(chat))


def _keep_location(chat: Chat, lat: float, lon: float) -> None:
    chat.data["lat"], chat.data["lon"] = filing.check_location(lat, lon)


@router.state("cx.loc")
async def location_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind is Kind.LOCATION and inc.location:
        try:
            _keep_location(chat, *inc.location)
        except InvalidInput as e:
            _say_error(chat, e, _step_rows(chat))
            return
        await _after_location(chat, "cx.loc.saved")
        return
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        if _keep_file(chat):
            chat.reply(chat.t("cx.loc.photo_added", n=len(chat.data["photos"])), _step_rows(chat))
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.loc.hint"), _step_rows(chat))
        return
    text = inc.text.strip()
    if text.lower() in SKIP_WORDS or text == chat.t("cx.btn.skip_text"):
        await _after_location(chat, "cx.loc.skipped")
        return
    try:
        chat.data["addr"] = filing.clean_address(text)
    except InvalidInput as e:
        _say_error(chat, e, _step_rows(chat))
        return
    await _after_location(chat, "cx.loc.saved")


@router.callback("cx:loc")
async def location_skip(chat: Chat) -> None:
    if not _current(chat, "cx.loc"):
        await stale_button(chat)
        return
    await _after_location(chat, "cx.loc.skipped")


async def _after_location(chat: Chat, key: str) -> None:
    chat.reply(chat.t(key), remove_keyboard=True)  # the location keyboard has done its job
    if chat.data.get("edit"):
        await show_summary(chat)
    else:
        await ask_agency(chat)


# --- photos and place in one optional step (aspirasi, informasi)

def ask_extras(chat: Chat) -> None:
    chat.goto("cx.extras")
    chat.reply(chat.t(f"cx.ask.extras.{_kind(chat)}", max=policy(chat).max_photos),
               keyboard=_location_keyboard(chat))
    chat.reply(chat.t("cx.ask.extras_inline"), _step_rows(chat))


@router.state("cx.extras")
async def extras_step(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind in (Kind.PHOTO, Kind.DOCUMENT):
        if _keep_file(chat):  # more photos or a place may follow: stay
            chat.reply(chat.t("cx.extras.photo_added", n=len(chat.data["photos"]), max=policy(chat).max_photos),
                       _step_rows(chat))
        return
    if inc.kind is Kind.LOCATION and inc.location:
        try:
            _keep_location(chat, *inc.location)
        except InvalidInput as e:
            _say_error(chat, e, _step_rows(chat))
            return
        await _after_location(chat, "cx.loc.saved")
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.extras.hint"), _step_rows(chat))
        return
    text = inc.text.strip()
    if text.lower() in SKIP_WORDS or text == chat.t("cx.btn.skip_text"):
        await _extras_done(chat)
        return
    try:
        chat.data["addr"] = filing.clean_address(text)
    except InvalidInput as e:
        _say_error(chat, e, _step_rows(chat))
        return
    await _after_location(chat, "cx.loc.saved")


@router.callback("cx:ex")
async def extras_done(chat: Chat) -> None:
    if not _current(chat, "cx.extras"):
        await stale_button(chat)
        return
    await _extras_done(chat)


async def _extras_done(chat: Chat) -> None:
    has_place = chat.data.get("addr") or chat.data.get("lat") is not None
    await _after_location(chat, "cx.extras.done" if chat.data.get("photos") or has_place else "cx.extras.none")


# --- agency

async def ask_agency(chat: Chat, text: str | None = None, *, show_all: bool = False) -> None:
    chat.goto("cx.agency")
    d = _token(chat)
    found = [] if show_all else await filing.suggest_agencies(chat.uow, text or chat.data.get("desc", ""))
    shown = found or await filing.agencies(chat.uow)
    rows = [[button(a.name, "cx:ag", d, a.id)] for a in shown]
    rows.append([button(chat.t("cx.btn.unsure"), "cx:ag", d, 0)])
    if found:
        rows.append([button(chat.t("cx.btn.all_agencies"), "cx:agall", d)])
    chat.reply(chat.t("cx.ask.agency" if found else "cx.ask.agency_all"), rows + [_cancel_row(chat)])


@router.callback("cx:ag")
async def on_agency(chat: Chat) -> None:
    if not _current(chat, "cx.agency"):
        await stale_button(chat)
        return
    chosen = chat.arg_int(1)
    known = {a.id: a.name for a in await filing.agencies(chat.uow)}
    if chosen and chosen not in known:
        await stale_button(chat)
        return
    chat.data["agency"] = chosen or None
    chat.data["agency_name"] = known.get(chosen)
    chat.data.pop("dup_ok", None)  # another agency, other possible duplicates
    if chat.data.get("edit"):
        await show_summary(chat)
    else:
        await ask_privacy(chat)


@router.callback("cx:agall")
async def on_all_agencies(chat: Chat) -> None:
    if not _current(chat, "cx.agency"):
        await stale_button(chat)
        return
    await ask_agency(chat, show_all=True)


@router.state("cx.agency")
async def agency_typed(chat: Chat) -> None:
    if _keep_media(chat):
        await ask_agency(chat)
        return
    text = chat.incoming.text if chat.incoming.kind is Kind.TEXT else ""
    if text.strip():
        chat.reply(chat.t("cx.agency.searched", text=escape(text.strip()[:100])))
    await ask_agency(chat, text.strip() or None)


# --- privacy

async def ask_privacy(chat: Chat) -> None:
    chat.goto("cx.privacy")
    current = chat.data.get("privacy", "normal")
    rows = [[button(("✓ " if p == current else "") + chat.t(f"cx.btn.privacy.{p}"), "cx:pv", _token(chat), p)]
            for p in views.PRIVACY]
    chat.reply(chat.t("cx.ask.privacy"), rows + [_cancel_row(chat)])


@router.callback("cx:pv")
async def on_privacy(chat: Chat) -> None:
    if not _current(chat, "cx.privacy"):
        await stale_button(chat)
        return
    chat.data["privacy"] = filing.check_privacy(chat.arg_str(1))
    await show_summary(chat)


@router.state("cx.privacy")
async def privacy_typed(chat: Chat) -> None:
    if not _keep_media(chat):
        chat.reply(chat.t("cx.hint.buttons"))
    await ask_privacy(chat)


# --- summary, edits, duplicates, sending

async def show_summary(chat: Chat) -> None:
    chat.goto("cx.confirm")
    chat.data.pop("edit", None)
    d = _token(chat)
    text = views.draft_summary(chat.locale, chat.data, chat.data.get("agency_name"))
    if _kind(chat) in ONE_STEP_EXTRAS:  # photos and place were one step: one button changes them
        media = [button(chat.t("cx.btn.ed.extras"), "cx:ed", d, "extras")]
    else:
        media = [button(chat.t("cx.btn.ed.photos"), "cx:ed", d, "photos"), button(chat.t("cx.btn.ed.loc"), "cx:ed", d, "loc")]
    rows = [[button(chat.t("cx.btn.send"), "cx:send", d)],
            [button(chat.t("cx.btn.ed.desc"), "cx:ed", d, "desc"), button(chat.t("cx.btn.ed.kind"), "cx:ed", d, "kind")],
            media,
            [button(chat.t("cx.btn.ed.agency"), "cx:ed", d, "agency"), button(chat.t("cx.btn.ed.privacy"), "cx:ed", d, "privacy")],
            _cancel_row(chat)]
    chat.reply(text, rows)


@router.callback("cx:ed")
async def on_edit(chat: Chat) -> None:
    if not _current(chat, "cx.confirm"):
        await stale_button(chat)
        return
    field = chat.arg_str(1, EDITABLE)
    chat.data["edit"] = True
    if field == "desc":
        ask_desc(chat)
    elif field == "photos":
        ask_photos(chat)
    elif field == "loc":
        ask_location(chat)
    elif field == "extras":
        ask_extras(chat)
    elif field == "agency":
        await ask_agency(chat)
    elif field == "privacy":
        await ask_privacy(chat)
    else:
        chat.goto("cx.kind")
        ask_kind(chat)


@router.callback("cx:back")
async def on_back(chat: Chat) -> None:
    if not _current(chat, "cx.confirm"):
        await stale_button(chat)
        return
    await show_summary(chat)


@router.state("cx.confirm")
async def confirm_typed(chat: Chat) -> None:
    if not _keep_media(chat):
        chat.reply(chat.t("cx.hint.summary"))
    await show_summary(chat)


def _draft(chat: Chat) -> Draft:
    data = chat.data
    return Draft(kind=str(data.get("kind", "pengaduan")), description=str(data.get("desc", "")),
                 photos=tuple(Photo(k, f) for k, f in data.get("photos") or []),
                 latitude=data.get("lat"), longitude=data.get("lon"), address=data.get("addr"),
                 agency_id=data.get("agency"), privacy=str(data.get("privacy", "normal")))


def _filed_as(chat: Chat) -> int | None:
    """The report this draft already became: "send" pressed again (a lost reply, a double tap)."""
    done = chat.data.get("filed")
    if (chat.args and isinstance(done, list) and len(done) == 2 and chat.args[0] == done[0]
            and isinstance(done[1], int) and chat.state != "cx.confirm"):
        return done[1]
    return None


def _give_receipt(chat: Chat, r: Receipt, *, again: bool = False) -> None:
    """The receipt, backed by a held notice: it reaches the person even if this reply is lost."""
    reply = views.receipt(chat.locale, r, chat.settings.tz)
    if again:
        reply = replace(reply, text=f"{chat.t('cx.already_sent')}\n\n{reply.text}")
    chat.confirm(reply, HeldReceipt.of(r, chat.settings.tz.key), f"cx.receipt:{r.id}")


async def _answer_filed(chat: Chat) -> bool:
    """A repeated press answers with what the first one did: that report's receipt."""
    complaint_id = _filed_as(chat)
    if complaint_id is None:
        return False
    _give_receipt(chat, await tracking.receipt(chat.uow, chat.person, complaint_id, policy=policy(chat)),
                  again=True)
    return True


@router.callback("cx:send")
async def on_send(chat: Chat) -> None:
    if await _answer_filed(chat):
        return
    if not _current(chat, "cx.confirm"):
        await stale_button(chat)
        return
    if not chat.data.get("dup_ok"):
        found = await filing.find_similar(chat.uow, chat.person, str(chat.data.get("desc", "")),
                                              chat.data.get("agency"), now=chat.now, policy=policy(chat))
        if found:
            chat.replies.append(views.similar_offer(chat.locale, found, _token(chat)))
            return
    await _file(chat)


@router.callback("cx:force")
async def on_force(chat: Chat) -> None:
    if await _answer_filed(chat):
        return
    if not _current(chat, "cx.confirm"):
        await stale_button(chat)
        return
    chat.data["dup_ok"] = True
    await _file(chat)


@router.callback("cx:dupf")
async def on_follow_instead(chat: Chat) -> None:
    if not _current(chat, "cx.confirm"):
        await stale_button(chat)
        return
    cid = chat.arg_int(1)
    number = await tracking.follow(chat.uow, chat.person, cid, now=chat.now)
    chat.clear()
    chat.reply(chat.t("cx.followed_instead", number=number),
               [[button(chat.t("cx.btn.view"), "cx:v", cid)], [Button(chat.t("menu.back"), "menu")]])


async def _file(chat: Chat) -> None:
    try:
        r = await filing.file(chat.uow, chat.person, _draft(chat), now=chat.now, policy=policy(chat))
    except DomainError as e:
        # The draft stays as it is: the person can send it later or change it.
        _say_error(chat, e, [[button(chat.t("cx.btn.send"), "cx:send", _token(chat))],
                             [button(chat.t("cx.btn.edit"), "cx:back", _token(chat))], _cancel_row(chat)])
        return
    token = _token(chat)
    chat.clear()
    chat.data["filed"] = [token, r.id]  # a second press of this draft's "send" answers with this report
    _give_receipt(chat, r)
