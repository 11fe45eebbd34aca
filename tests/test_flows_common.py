"""The foundation's flows as a person meets them: menu, help, language, cancel, the unexpected."""

from __future__ import annotations

from sqlalchemy import func, select

from db.models import AuditLog, ProcessedUpdate, User
from handlers.kit import Incoming, Kind


async def test_start_shows_welcome_and_role_menu(person, app):
    rina = person(1001, "Rina <b>&")
    await rina.say("/start")
    texts = [m.text for m in rina.messages()]
    assert len(texts) == 1  # welcome and menu in one message
    assert "Selamat datang, Rina &lt;b&gt;&amp;!" in texts[0]
    assert "Pemerintah Kota Banjarbaru" in texts[0]
    assert "peran" not in texts[0] and "masyarakat" not in texts[0]  # a citizen is not labelled
    labels = rina.last_labels()
    assert "🌐 Bahasa" in labels and "❓ Bantuan" in labels
    assert "📊 Statistik" not in labels  # staff only


async def test_superadmin_from_config_sees_admin_menu_and_is_audited(person, app):
    boss = person(900001, "Kepala")
    await boss.say("/start")
    assert "(peran: superadmin)" in boss.last_text()  # staff still see which role they act in
    assert "📊 Statistik" in boss.last_labels()
    await boss.press("Statistik")
    assert "Pengguna per peran" in boss.last_text()
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "role.grant"))).scalars().all()
        assert any(r.details.get("source") == "SAPA_ADMIN_IDS" for r in rows)


async def test_citizen_cannot_open_statistics_even_by_forged_button(person):
    rina = person()
    await rina.say("/statistik")
    assert "tidak memiliki akses" in rina.last_text()
    await rina.press_data("stats")
    assert "tidak memiliki akses" in rina.last_text()


async def test_language_switch_by_command_and_button(person):
    rina = person()
    await rina.say("/bahasa en")
    assert "Language: 🇬🇧 English" in rina.all_text()
    assert "Main menu" in rina.last_text()
    await rina.say("/bahasa")
    await rina.press("Bahasa Indonesia")
    assert "Menu utama" in rina.last_text()


async def test_language_picker_has_a_way_back_that_keeps_the_language(person, app):
    rina = person()
    await rina.say("/bahasa")
    assert rina.last_labels()[-1] == "⬅️ Kembali"
    await rina.press("Kembali")
    assert "Menu utama" in rina.last_text() and rina.messages()[-1].edited
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", 1001)).locale is None  # nothing chosen
    await rina.press_data("lang:xx")  # forged: the picker again, still with its way back
    assert "⬅️ Kembali" in rina.last_labels()
    tom = person(1002, "Tom", language_code="en")
    await tom.say("/language")
    await tom.press("Back")
    assert "Main menu" in tom.last_text() and "role:" not in tom.last_text()


async def test_telegram_language_used_until_chosen(person):
    tom = person(1002, "Tom", language_code="en-GB")
    await tom.say("/start")
    assert "Welcome, Tom" in tom.messages()[0].text
    ana = person(1003, "Ana", language_code="fr")
    await ana.say("/start")
    assert "Selamat datang" in ana.messages()[0].text  # deployment default


async def test_cancel_leaves_a_flow_and_clears_state(person, app):
    rina = person()
    await rina.say("/tautkan")
    await rina.say("/batal")
    assert "Dibatalkan" in rina.all_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 1001)
        assert u.state is None and u.state_data == {}
    await rina.say("/batal")
    assert "Tidak ada proses" in rina.all_text()


async def test_fuzzy_free_text_and_unknown_input_never_crash(person):
    rina = person()
    await rina.say("halo")
    assert "Menu utama" in rina.last_text()
    await rina.say("tolong bantuan")
    assert "Bantuan SAPA" in rina.last_text()
    for junk in ["", "   ", "x" * 5000, "<script>alert(1)</script> & <b>", "🙂🔥" * 100, "/tidakada"]:
        replies = await rina.say(junk)
        assert replies, junk
        assert "<script>" not in replies[-1].text
    assert "/tidakada" in rina.messages()[-1].text
    await rina.send(rina._inc(Kind.OTHER))
    assert "belum bisa saya proses" in rina.last_text()


async def test_stale_button_gets_a_clear_answer(person, channel):
    rina = person()
    await rina.say("/start")
    # The pop-up says so (Telegram's answer to the press); the chat is left as it is, no new menu.
    assert await rina.press_stale("nosuch:1:2") == "Tombol itu sudah tidak berlaku. Mulai lagi dari /menu."


async def test_replayed_update_has_no_second_effect(person, app, channel):
    rina = person()
    inc = Incoming("telegram", 424242, 1001, 1001, Kind.COMMAND, "Rina", text="/bahasa en", command="bahasa",
                   args="en")
    first = await app.handle(inc)
    before = len(channel.sent)
    again = await app.handle(inc)
    assert first and again is None and len(channel.sent) == before
    async with app.db.uow() as uow:
        n = (await uow.session.execute(select(func.count()).select_from(ProcessedUpdate))).scalar_one()
        assert n == 1
        assert (await uow.users.count()) >= 1
    assert rina.user_id == 1001


async def test_state_survives_a_restart(person, app, settings, db, channel, clock):
    from bot.core import App
    from handlers import build_router
    from tests.harness import Person

    rina = person()
    await rina.say("/tautkan")
    restarted = App(settings, db, build_router(), channel, clock)  # a new process, same database
    again = Person(restarted, channel, 1001, "Rina")
    await again.say("123")
    assert "18 digit" in again.last_text()  # still in the NIP step


async def test_asn_links_account_with_nip_and_own_contact(person, app):
    siti = person(2001, "Siti")
    await siti.say("/tautkan")
    await siti.say("1990 0105 2015 03 2 002")  # spaces are fine
    assert siti.messages()[-1].reply.keyboard[0][0].request_contact
    await siti.share_contact("+62 812-3450-0002", own=False)
    assert "nomor HP Anda sendiri" in siti.last_text()
    await siti.say("/tautkan")
    await siti.say("199001052015032002")
    await siti.share_contact("081234500002")
    assert "Akun tertaut" in siti.all_text()
    assert "19900105 ****** 2 002" in siti.all_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 2001)
        assert u.role == "asn" and u.employee_id is not None


async def test_linking_refuses_wrong_phone_and_unknown_nip(person, app):
    mallory = person(2002, "Mallory")
    await mallory.say("/tautkan")
    await mallory.say("199001052015032099")
    assert "tidak ditemukan" in mallory.last_text()
    await mallory.say("199013052015032002")
    assert "tidak ditemukan" in mallory.last_text() or "tanggal lahir" in mallory.last_text()
    await mallory.say("199001052015032002")
    await mallory.share_contact("081299999999")
    assert "tidak sesuai" in mallory.last_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 2002)
        assert u.role == "citizen" and u.employee_id is None
        refused = (await uow.session.execute(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "employee.link_refused"))).scalar()
        assert refused == 1


async def test_unreachable_person_is_marked(person, app, channel):
    from handlers.channel import Unreachable

    rina = person()
    channel.failures[1001] = Unreachable("Forbidden: bot was blocked by the user")
    await rina.say("/start")
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", 1001)).unreachable
    del channel.failures[1001]
    await rina.say("/start")
    async with app.db.uow() as uow:
        assert not (await uow.users.by_external("telegram", 1001)).unreachable


async def test_a_crashing_step_answers_politely_and_is_not_replayed(person, app, monkeypatch):
    from handlers import common

    async def boom(chat):
        raise RuntimeError("bug")

    monkeypatch.setitem(app.router.commands, "start", boom)
    rina = person()
    await rina.say("/start")
    assert "terjadi gangguan" in rina.last_text()
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(User))).scalar_one() >= 0
    assert common.router is not None


async def test_the_sender_is_woken_only_by_commits_that_queued_pushes(person, app):
    from tests.test_complaints_flows import file_report

    wakes: list[int] = []
    app.after_commit = lambda: wakes.append(1)
    rina = person()
    await rina.say("/start")
    await rina.say("/bahasa en")
    assert wakes == []  # nothing queued: the sender's transaction would only compete for the database
    await rina.say("/bahasa id")
    await file_report(rina)
    assert wakes == [1]  # the filing queued the officers' notice


async def test_one_persons_quick_messages_are_handled_in_order(person, app):
    import asyncio

    rina = person()
    first = rina._inc(Kind.COMMAND, text="/tautkan", command="tautkan")
    second = rina._inc(Kind.TEXT, text="123")
    await asyncio.gather(rina.send(first), rina.send(second))  # as polling runs a batch
    assert "Ketik NIP Anda" in rina.messages()[0].text
    assert "18 digit" in rina.messages()[1].text  # the second saw the state the first left


async def test_chat_locks_keep_arrival_order_per_chat_and_forget_idle_chats():
    import asyncio

    from bot.core import ChatLocks

    locks, order = ChatLocks(), []

    async def work(chat: int, label: str, delay: float) -> None:
        async with locks.hold(("telegram", chat)):
            await asyncio.sleep(delay)
            order.append(label)

    # The first message of chat 1 is slow; its second must still come after it,
    # while chat 2 is not held up by chat 1.
    await asyncio.gather(work(1, "1a", 0.05), work(1, "1b", 0), work(2, "2a", 0))
    assert order == ["2a", "1a", "1b"]
    assert locks._locks == {}
