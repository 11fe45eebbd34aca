"""Hostile text at the channel boundary, through Bot API JSON as Telegram or the webhook sends it.

NUL and other C0 controls, lone surrogates, RTL override, zero-width characters, huge text,
emoji and HTML: a report with such text is filed with the text cleaned (both databases), no
crash reply; text of only invisible characters is refused; another bot's command is not ours.
"""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import select

from bot.sandbox.html_check import check_html
from bot.updates import incoming_from_json
from db.models import Complaint, User
from handlers.i18n import t
from handlers.kit import Incoming, Kind
from tests.harness import Person, conversation_state
from tests.test_complaints_flows import file_report

CRASH = {t("id", "error.internal"), t("en", "error.internal")}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ids = itertools.count(1_000_000)


class JsonPerson(Person):
    """A person whose every update goes through JSON text and `incoming_from_json`, as on Telegram."""

    first_name: str = ""
    last_name: str | None = None

    def _inc(self, kind: Kind, **kw: object) -> Incoming:
        user = {"id": self.user_id, "is_bot": False, "first_name": self.first_name or self.name,
                "language_code": self.language_code}
        if self.last_name is not None:
            user["last_name"] = self.last_name
        if self.username is not None:
            user["username"] = self.username
        chat = {"id": self.user_id, "type": "private"}
        if kind is Kind.CALLBACK:
            update = {"update_id": next(_ids), "callback_query": {
                "id": kw["callback_id"], "from": user, "data": kw["text"],
                "message": {"message_id": kw["message_id"], "date": 0, "chat": chat}}}
        else:
            msg: dict[str, object] = {"message_id": next(_ids), "date": 0, "chat": chat, "from": user}
            if kind in (Kind.TEXT, Kind.COMMAND):
                msg["text"] = kw["text"]
            elif kind is Kind.LOCATION:
                lat, lon = kw["location"]  # type: ignore[misc]
                msg["location"] = {"latitude": lat, "longitude": lon}
            elif kind is Kind.PHOTO:
                f = kw["file"]
                msg["photo"] = [{"file_id": f.file_id, "file_unique_id": "u", "width": 9, "height": 9,  # type: ignore[attr-defined]
                                 "file_size": f.size}]  # type: ignore[attr-defined]
                msg["caption"] = kw.get("text") or None
            else:
                raise NotImplementedError(kind)
            update = {"update_id": next(_ids), "message": {k: v for k, v in msg.items() if v is not None}}
        inc = incoming_from_json(json.loads(json.dumps(update)))  # real JSON text: \ud800 survives as in a body
        assert inc is not None
        return inc


def json_person(app, channel, user_id: int, first: str, last: str | None = None,
                username: str | None = None) -> JsonPerson:
    p = JsonPerson(app, channel, user_id, "Warga", "id", username)
    p.first_name, p.last_name = first, last
    return p


# (what is typed, what is stored)
CORPUS = [
    ("Jalan\x00 rusak parah di depan pasar\x00", "Jalan rusak parah di depan pasar"),
    ("Lampu\x01\x07\x1b jalan\x0b mati\x0c total\r\nsejak kemarin\tmalam\x7f",
     "Lampu jalan mati total\nsejak kemarin\tmalam\x7f"),
    ("Sampah menumpuk \ud800 di pinggir jalan \udfff", "Sampah menumpuk \ufffd di pinggir jalan \ufffd"),
    ("\u202eTrotoar rusak dan berbahaya\u202c", "\u202eTrotoar rusak dan berbahaya\u202c"),
    (f"{ZERO_WIDTH}Selokan mampet{ZERO_WIDTH} di gang", f"{ZERO_WIDTH}Selokan mampet{ZERO_WIDTH} di gang"),
    ("🙂🔥 Pohon tumbang menutup jalan 🌳👨‍👩‍👧", "🙂🔥 Pohon tumbang menutup jalan 🌳👨‍👩‍👧"),
    ("<b>Parkir liar</b> & pungli di pasar <i>", "<b>Parkir liar</b> & pungli di pasar <i>"),
]
NAMES = [  # first, last, username → the name and username stored (None: the Telegram id stands in)
    ("Ri\x00na", "S\x07ari\ud800", "rina\x00_x", "Rina Sari\ufffd", "rina_x"),
    ("\x00", None, None, None, None),
    ("Budi\nSantoso\t", "\x1b[31m", "b\x00", "Budi Santoso [31m", "b"),
]


@pytest.mark.parametrize("i", range(len(CORPUS)))
async def test_hostile_text_is_filed_cleaned_on_both_databases(app, channel, i):
    typed, stored = CORPUS[i]
    first, last, username, name, stored_username = NAMES[i % len(NAMES)]
    who = json_person(app, channel, 5000 + i, first, last, username)
    number = await file_report(who, typed, address=f"Gg. Melati\x00 No. {i}\x01 <RT 3> & RW 2")
    assert all(s.text not in CRASH for s in channel.sent)
    for s in channel.sent:
        check_html(s.text)  # the user's text was escaped: Telegram would take every message
    async with app.db.uow() as uow:
        c = (await uow.session.execute(select(Complaint).where(Complaint.number == number))).scalar_one()
        user = (await uow.session.execute(select(User).where(User.external_id == 5000 + i))).scalar_one()
    assert c.description == stored
    assert c.address == f"Gg. Melati No. {i} <RT 3> & RW 2"
    assert (user.name, user.username) == (name or str(5000 + i), stored_username)


async def test_a_5000_character_description_is_refused_with_the_numbers_and_the_draft_stays(app, channel):
    who = json_person(app, channel, 5100, "Rina\x00")
    await who.say("/lapor")
    await who.press("Pengaduan")
    await who.say("Jalan rusak " + "\x00ä" * 4988)  # 5000 characters once the NULs are gone
    assert "terlalu panjang" in who.last_text() and "5000 karakter" in who.last_text()
    assert (await conversation_state(app, 5100))[0] == "cx.desc"
    await who.say("Jalan rusak di depan pasar, sudah sebulan")
    assert (await conversation_state(app, 5100))[0] == "cx.photos"


async def test_only_zero_width_characters_are_not_a_description_an_address_or_a_reply(app, channel):
    who = json_person(app, channel, 5200, "Rina")
    await who.say("/lapor")
    await who.press("Pengaduan")
    await who.say(ZERO_WIDTH * 10)
    assert "Uraian belum diisi" in who.last_text()
    await who.say(f"Lampu{ZERO_WIDTH * 4} mati")  # 9 visible characters: too short, and said so
    assert "terlalu pendek (9 karakter)" in who.last_text()
    assert (await conversation_state(app, 5200))[0] == "cx.desc"
    await who.say("Lampu jalan mati di depan masjid")
    await who.press("Lewati")
    await who.say(ZERO_WIDTH * 3 + " \u2060 ")
    assert "Alamat harus 3–300 karakter" in who.last_text()
    assert (await conversation_state(app, 5200))[0] == "cx.loc"
    number = await file_report(json_person(app, channel, 5201, "Budi"))
    assert number
    reporter = json_person(app, channel, 5202, "Sari")
    await file_report(reporter, "Selokan mampet di gang Mawar sejak hujan kemarin")
    await reporter.press("Lihat")
    await reporter.press("Balas")
    await reporter.say(ZERO_WIDTH * 5)
    assert "Pesannya kosong" in reporter.last_text()
    assert (await conversation_state(app, 5202))[0] == "cx.reply"


async def test_a_command_for_another_bot_is_not_ours(app, channel):
    app.settings = app.settings.model_copy(update={"bot_username": "SapaBjbBot"})  # getMe, at start-up
    rina = json_person(app, channel, 5300, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say("Jalan berlubang besar di depan SDN 1, bahaya untuk anak-anak")
    await rina.press("Lewati")
    await rina.press("Lewati")
    await rina.press("tidak yakin")
    await rina.press("Biasa")
    before, sent = await conversation_state(app, 5300), len(channel.sent)
    assert before[0] == "cx.confirm"
    for other in ("/lapor@OtherBot", "/batal@otherbot", "/start@SapaBjbBotX", "/lapor@otherbot jalan rusak"):
        assert await rina.say(other) == []
    assert len(channel.sent) == sent and await conversation_state(app, 5300) == before
    await rina.say("/batal@sapabjbbot")  # ours, in any case
    assert "dibatalkan" in rina.all_text().lower() or (await conversation_state(app, 5300))[0] is None
    assert (await conversation_state(app, 5300))[0] is None
    await rina.say("/lapor@SAPABJBBOT")
    assert (await conversation_state(app, 5300))[0] == "cx.kind"
