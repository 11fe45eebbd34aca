"""Forged callback data: every prefix the router knows, with data no button of ours would carry.

Callback data are user-controlled (any client can send up to 64 bytes). A malformed one gets the
stale-button answer; none may reach the crash reply or leave a traceback in the log.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import update

from db.models import User
from handlers import build_router
from handlers.i18n import t

CITIZEN, OFFICER, SUPERADMIN = 1001, 700004, 900001  # 700004: Dinas PUPR; 900001: SAPA_ADMIN_IDS
TOKEN = "abc123"
# Digits str.isdigit() accepts but int() or BIGINT refuse, signs, empties, words.
BAD = ["²", "①", "١٢", "9" * 60, str(2**63), "-1", "", "1.5", "x"]
BAD_AFTER_TOKEN = ["²", "9" * 60, "", "x"]
CRASH = {t("id", "error.internal"), t("en", "error.internal")}
STEPS = {  # a flow step and the prefixes whose buttons belong to it
    "cx.kind": "cx:", "cx.agency": "cx:", "cx.privacy": "cx:", "cx.confirm": "cx:",
    "survey.q": "sv", "survey.comment": "sv",
}
PREFIXES = sorted(build_router().callbacks)


def forged(prefix: str) -> list[str]:
    out = []
    for bad in BAD:
        out += [f"{prefix}:{bad}", f"{prefix}:1:{bad}", f"{prefix}:{bad}:1"]
    return out


async def put_in_step(app, user_id: int, state: str) -> None:
    """As if the person were on `state` of a draft or survey whose buttons carry TOKEN."""
    data = {"d": TOKEN, "privacy": "normal", "photos": [], "desc": "Lampu jalan mati sejak seminggu lalu",
            "sv_sid": TOKEN, "sv_unit": 1, "sv_name": "Unit", "sv_agency": "Dinas", "sv_ans": [4, 4]}
    async with app.db.uow() as uow:
        await uow.session.execute(update(User).where(User.external_id == user_id)
                                  .values(state=state, state_data=data))
        await uow.commit()


def assert_no_crash(who, caplog: pytest.LogCaptureFixture, data: str) -> None:
    assert who.last_text() not in CRASH, data
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, (data, errors[0].getMessage())


@pytest.mark.parametrize("user_id", [CITIZEN, OFFICER, SUPERADMIN])
async def test_forged_callback_data_never_crash(person, app, channel, caplog, user_id):
    who = person(user_id, "Penguji")
    await who.say("/start")
    for prefix in PREFIXES:
        for data in forged(prefix):
            await who.press_data(data)
            assert_no_crash(who, caplog, data)
    for state, family in STEPS.items():
        for prefix in (p for p in PREFIXES if p.startswith(family)):
            for bad in BAD_AFTER_TOKEN:
                for data in (f"{prefix}:{TOKEN}:{bad}", f"{prefix}:{TOKEN}:1:{bad}"):
                    await put_in_step(app, user_id, state)
                    await who.press_data(data)
                    assert_no_crash(who, caplog, f"{state} {data}")


@pytest.mark.parametrize("data", ["cx:v:²", "cx:my:" + "9" * 60, "cxo:q:①", "cx:rt:1:²", "cx:fw:" + str(2**63),
                                  "cxo:to:1:١", "svu:²", "ikm:qr:" + "9" * 40, "cx:fb:1:maybe"])
async def test_malformed_callback_gets_the_stale_button_answer(person, channel, data):
    admin = person(SUPERADMIN, "Admin")  # may press every one of them
    toast = await admin.press_stale(data)
    assert toast is not None and ("sudah tidak berlaku" in toast or "Survei itu sudah selesai" in toast)


async def test_malformed_filing_button_is_stale_and_the_draft_stays(person, app):
    from tests.harness import conversation_state

    rina = person(CITIZEN, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say("Lampu jalan mati sejak seminggu lalu di Jalan Kenanga")
    await rina.press("Lewati")
    await rina.press("Lewati")
    before = await conversation_state(app, CITIZEN)
    assert before[0] == "cx.agency"
    for bad in ("²", "9" * 60, "①"):
        assert "sudah tidak berlaku" in await rina.press_stale(f"cx:ag:{before[1]['token']}:{bad}")
    assert await conversation_state(app, CITIZEN) == before


async def test_the_stale_signal_outside_a_callback_is_a_bug_and_surfaces(settings, db, channel, clock, caplog):
    """The router answers StaleButton for callbacks only; from a command it is not swallowed."""
    from bot.core import App
    from handlers import common
    from handlers.complaints.callbacks import ViewReport
    from handlers.router import Router
    from tests.harness import Person

    router = Router()
    router.include(common.router)

    @router.command("probe")
    async def probe(chat) -> None:
        # Unpacking a command's text as button data is a programming error, not a stale button.
        chat.reply(str(ViewReport.unpack(chat.incoming.text)))

    app = App(settings, db, router, channel, clock)
    await Person(app, channel, CITIZEN).say("/probe")
    assert channel.to(CITIZEN)[-1].text in CRASH
    assert any(r.levelno >= logging.ERROR for r in caplog.records)


async def test_a_features_own_stale_button_is_answered_in_its_words(settings, db, channel, clock):
    """A StaleButton subclass with `answer` speaks for its feature; a plain one gets the bot's answer."""
    from bot.core import App
    from handlers import common
    from handlers.callbacks import Callback, StaleButton
    from handlers.router import Router
    from tests.harness import Person

    class Over(StaleButton):
        async def answer(self, chat) -> None:
            chat.toast = "Langkah itu sudah lewat"

    class Probe(Callback, prefix="probe"):
        which: int

    router = Router()
    router.include(common.router)

    @router.callback(Probe)
    async def probe(chat, cb: Probe) -> None:
        chat.reply("begun")  # dropped: the stale answer replaces what the handler began
        raise Over() if cb.which == 0 else StaleButton()

    who = Person(App(settings, db, router, channel, clock), channel, CITIZEN)
    assert await who.press_stale("probe:0") == "Langkah itu sudah lewat"  # and not "begun"
    assert "sudah tidak berlaku" in await who.press_stale("probe:1")
