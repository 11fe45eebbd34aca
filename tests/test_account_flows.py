"""/tautkan as a person meets it: the feature package, its declared steps, its buttons."""

from __future__ import annotations

from handlers.account.callbacks import Account, Linking
from handlers.features import bot

SITI = "199001052015032002"


def test_account_is_one_feature_with_declared_steps_and_its_published_command() -> None:
    assembly = bot()
    account = next(f for f in assembly.features if f.name == "account")
    assert Linking in account.flows
    # State names are stored in people's saved conversations: they must not change.
    assert Linking.names()[:2] == ["link.nip", "link.contact"]
    assert ("tautkan", 70) in account.commands
    assert Account().pack() == "acct"  # other features' "link your account" buttons send this


async def test_another_features_plain_acct_button_opens_linking(person):
    rina = person()
    await rina.say("/pelatihan")  # training's "not linked" answer carries the plain "acct" button
    await rina.press(data="acct")
    assert "Ketik NIP Anda" in rina.last_text()


async def test_a_conversation_saved_before_the_move_still_links(person, app):
    siti = person(2001, "Siti")
    await siti.say("/start")
    async with app.db.uow() as uow:  # what the old handler left in the chat's state
        u = await uow.users.by_external("telegram", 2001)
        await uow.users.update(u.id, state="link.contact", state_data={"nip": SITI})
        await uow.commit()
    await siti.share_contact("081234500002")
    assert "Akun tertaut" in siti.all_text()


async def test_forged_account_buttons_get_the_stale_answer(person, app):
    rina = person()
    for data in ("acct:1", "acct:<b>&", "acct:\x00"):
        assert "sudah tidak berlaku" in await rina.press_stale(data), data
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", 1001)).state is None


async def _code(app, nip: str) -> str:
    from services.account.codes import issue_code

    async with app.db.uow() as uow:
        issued = await issue_code(uow, "cli", nip, app.clock())
        await uow.commit()
    return issued.code


NUR = "199512202023212004"


async def test_phone_mismatch_offers_the_code_and_the_code_links(person, app):
    code = await _code(app, NUR)
    nur = person(2010, "Nur")
    await nur.say("/tautkan")
    await nur.say(NUR)
    await nur.share_contact("081299999999")  # her own, but not the one on file
    last = nur.messages()[-1]
    assert "tidak sesuai" in last.text and "kode aktivasi" in last.text and "Sisa percobaan: 4" in last.text
    assert last.reply.remove_keyboard
    for junk in ("<b>&", "🙂", "\x00", "x" * 5000):
        await nur.say(junk)
        assert "8 huruf dan angka" in nur.last_text() and "<b>&" not in nur.last_text()
    await nur.say("ZZZZ-ZZZZ")
    assert "Kode aktivasi salah" in nur.last_text() and "Sisa percobaan: 3" in nur.last_text()
    await nur.say(code.lower())
    assert "Akun tertaut" in nur.all_text() and "19951220 ****** 2 004" in nur.all_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 2010)
        assert u.role == "asn" and u.employee_id is not None and u.state is None
    await nur.say("/tautkan")  # a second link attempt while linked: the profile instead
    text = nur.last_text()
    assert "PPPK" in text and "Masa kerja: 3 tahun" in text and "Lepas tautan" in " ".join(nur.last_labels())


async def test_the_code_may_be_typed_instead_of_sharing_a_contact(person, app):
    code = await _code(app, NUR)
    nur = person(2011, "Nur", language_code="en")
    await nur.say("/tautkan")
    await nur.say(NUR)
    assert "activation code" in nur.last_text()
    await nur.say(f"  {code[:4]} {code[4:]} ")
    assert "Account linked" in nur.all_text()


async def test_five_failures_lock_the_chat_with_the_time_left(person, app, clock):
    mallory = person(2012, "Mallory")
    await mallory.say("/tautkan")
    for _ in range(4):
        await mallory.say("199001052015032099")  # a NIP not on file
    assert "Sisa percobaan: 1" in mallory.last_text()
    await mallory.say("199001052015032002")
    await mallory.share_contact("081299999999")
    assert "dikunci" in mallory.last_text() and "60 menit" in mallory.last_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 2012)
        assert u.state is None and u.employee_id is None
    clock.advance(minutes=20)
    await mallory.say("/tautkan")
    assert "40 menit" in mallory.last_text()
    clock.advance(minutes=41)
    await mallory.say("/tautkan")
    assert "Ketik NIP Anda" in mallory.last_text()


async def test_a_record_linked_elsewhere_says_contact_bkpsdm(person, app):
    siti = person(2013, "Siti")
    await siti.say("/tautkan")
    await siti.say(SITI)
    await siti.share_contact("081234500002")
    code = await _code(app, SITI)
    thief = person(2014, "Thief")
    await thief.say("/tautkan")
    await thief.say(SITI)
    await thief.say(code)
    assert "akun Telegram lain" in thief.last_text() and "BKPSDM" in thief.last_text()
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", 2014)).employee_id is None
        assert (await uow.users.by_external("telegram", 2013)).employee_id is not None


async def test_unlink_from_the_profile_and_forged_unlink_buttons(person, app):
    rina = person()
    assert "sudah tidak berlaku" in await rina.press_stale("acct:u:1")  # not linked: the button does not apply
    siti = person(2015, "Siti")
    await siti.say("/tautkan")
    await siti.say(SITI)
    await siti.share_contact("081234500002")
    await siti.say("/tautkan")
    assert "Golongan: III/b (Penata Muda Tingkat I)" in siti.last_text()
    await siti.press("Lepas tautan")
    assert "Lepas tautan akun Telegram" in siti.last_text()
    async with app.db.uow() as uow:
        mine = (await uow.users.by_external("telegram", 2015)).employee_id
    for forged in ("acct:u:x", "acct:u", f"acct:u:{mine + 1}:1", f"acct:u:{mine}:2"):
        assert "sudah tidak berlaku" in await siti.press_stale(forged), forged  # garbage, or another record than the one linked
    await siti.press("Ya, lepaskan")  # the confirmation still on screen: it becomes the answer
    assert "Tautan dilepas" in siti.all_text() and "Ya, lepaskan" not in " ".join(siti.last_labels())
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 2015)
        assert u.employee_id is None and u.role == "citizen"
    await siti.say("/tautkan")
    assert "Ketik NIP Anda" in siti.last_text()
