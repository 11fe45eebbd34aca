"""/langganan: what a civil servant wants to be told, switched with one press."""

from __future__ import annotations

from handlers.account.callbacks import Account
from handlers.features import bot
from handlers.kit import Button, Kind
from handlers.menu import Menu
from handlers.router import Chat, Router
from handlers.subscriptions.callbacks import SubHome, SubSet
from services import subscriptions as subs
from services.roles import Role

router = Router("subscriptions")


def _screen(chat: Chat, s: subs.Subscriptions, lead: str | None = None) -> None:
    lines = []
    for c in s.choices:
        value = chat.t(f"sub.{c.topic}.{c.choice}")
        if c.is_default:
            value += chat.t("sub.default")
        lines.append(chat.t(f"sub.line.{c.topic}", value=value))
    text = chat.t("sub.title") + "\n\n" + "\n".join(lines) + "\n\n" + chat.t("sub.hint")
    rows: list[list[Button]] = []
    for c in s.choices:
        topic = subs.find(bot().topics, c.topic)
        assert topic is not None  # the choices are of the registered topics
        row = []
        for option in topic.choices:
            mark = "✅ " if option == c.choice else ""
            row.append(Button(mark + chat.t(f"sub.btn.{c.topic}.{option}"), SubSet(c.topic, option).pack()))
        rows.append(row)
    rows.append([Button(chat.t("menu.back"), Menu().pack())])
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows, edit=chat.incoming.kind is Kind.CALLBACK)


def _not_linked(chat: Chat) -> None:
    chat.reply(chat.t("sub.not_linked"), [[Button(chat.t("sub.btn.link"), Account().pack())],
                                          [Button(chat.t("menu.back"), Menu().pack())]],
               edit=chat.incoming.kind is Kind.CALLBACK)


@router.command("langganan", "subscribe", "subscriptions")
async def langganan(chat: Chat) -> None:
    await _show(chat)


@router.callback(SubHome)
async def home(chat: Chat, _cb: SubHome) -> None:
    await _show(chat)


async def _show(chat: Chat) -> None:
    try:
        s = await subs.get(chat.uow, chat.person, topics=bot().topics)
    except subs.NotLinked:
        _not_linked(chat)
        return
    _screen(chat, s)


@router.callback(SubSet)
async def choose(chat: Chat, cb: SubSet) -> None:
    try:  # a topic or choice no feature registers (forged data) is refused by the service
        s = await subs.set(chat.uow, chat.person, cb.topic, cb.choice, topics=bot().topics, now=chat.now)
    except subs.NotLinked:
        _not_linked(chat)
        return
    chat.toast = chat.t("sub.saved")
    _screen(chat, s, chat.t("sub.saved_line", topic=chat.t(f"sub.topic.{cb.topic}"),
                            value=chat.t(f"sub.{cb.topic}.{cb.choice}")))


@router.intent("subscriptions", ["langganan", "berlangganan", "info lowongan", "pemberitahuan pelatihan",
                                 "berhenti langganan"])
async def langganan_intent(chat: Chat) -> None:
    await _show(chat)


router.menu_item("sub.menu", SubHome(), roles=(Role.ASN, Role.OFFICER, Role.HR), order=45)
router.help("sub.help", (Role.ASN, Role.OFFICER, Role.HR))
