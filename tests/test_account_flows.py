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
        await rina.press_data(data)
        assert "sudah tidak berlaku" in rina.last_text(), data
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", 1001)).state is None
