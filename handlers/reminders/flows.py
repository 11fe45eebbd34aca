"""/pengingat: the reminders a person gets, the next ones with dates, and one press to switch."""

from __future__ import annotations

from typing import Literal

from handlers.account.callbacks import Account
from handlers.dates import moment
from handlers.features import bot
from handlers.kit import Button, Kind
from handlers.menu import Menu
from handlers.reminders.callbacks import RmHome, RmSet
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.subscriptions.callbacks import SubHome
from services.reminders import prefs
from services.roles import Role

router = Router("reminders")


def _screen(chat: Chat, o: prefs.Overview, lead: str | None = None) -> None:
    lines = [chat.t("rm.title"), ""]
    for k in o.kinds:
        state = chat.t("rm.state.locked") if k.locked else chat.t("rm.state.on" if k.enabled else "rm.state.off")
        lines.append(chat.t("rm.line", icon=k.icon, kind=chat.t(f"rm.kind.{k.kind}"), state=state))
    topics = "\n".join(chat.t(f"sub.line.{c.topic}", value=chat.t(f"sub.{c.topic}.{c.choice}"))
                       for c in o.subscriptions.choices)
    lines += ["", chat.t("rm.subs", topics=topics)]
    if o.duty:
        lines.append(chat.t("rm.duty"))
    if o.mandatory_periods:
        lines += ["", chat.t("rm.mandatory", periods=", ".join(escape(p) for p in o.mandatory_periods))]
    lines += ["", chat.t("rm.next")]
    for nx in o.upcoming:
        title = escape(nx.title) if nx.title else ""
        mark = " " + chat.t("rm.must") if nx.mandatory else ""
        # The notice itself in a few words, on its own line under its time: not the settings label
        # ("… (H-1 dan hari H)") run into the title.
        what = chat.t(f"rm.up.{nx.kind}" + (f".{nx.occasion}" if nx.occasion else ""), title=title)
        lines.append(chat.t("rm.next.item", when=moment(chat.locale, nx.when, chat.settings.tz), what=what) + mark)
    if not o.upcoming:
        lines.append(chat.t("rm.next.none"))
    rows: list[list[Button]] = []
    for k in o.kinds:
        if k.locked:
            continue
        to: Literal["on", "off"] = "off" if k.enabled else "on"
        rows.append([Button(chat.t(f"rm.btn.{to}", kind=chat.t(f"rm.kind.{k.kind}")), RmSet(k.kind, to).pack())])
    rows.append([Button(chat.t("rm.btn.subscriptions"), SubHome().pack())])
    rows.append([Button(chat.t("menu.back"), Menu().pack())])
    text = "\n".join(lines)
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows, edit=chat.incoming.kind is Kind.CALLBACK)


async def _show(chat: Chat, lead: str | None = None) -> None:
    try:
        o = await prefs.overview(chat.uow, chat.person, kinds=bot().reminders, topics=bot().topics, now=chat.now,
                                 settings=chat.settings)
    except prefs.NotLinked:
        chat.reply(chat.t("rm.not_linked"), [[Button(chat.t("sub.btn.link"), Account().pack())],
                                             [Button(chat.t("menu.back"), Menu().pack())]],
                   edit=chat.incoming.kind is Kind.CALLBACK)
        return
    _screen(chat, o, lead)


@router.command("pengingat", "reminders")
async def pengingat(chat: Chat) -> None:
    await _show(chat)


@router.callback(RmHome)
async def home(chat: Chat, _cb: RmHome) -> None:
    await _show(chat)


@router.callback(RmSet)
async def switch(chat: Chat, cb: RmSet) -> None:
    try:  # a kind no feature registers (forged data) is refused by the service: rm.err.kind
        o = await prefs.switch(chat.uow, chat.person, cb.kind, cb.to == "on", kinds=bot().reminders,
                               topics=bot().topics, now=chat.now, settings=chat.settings)
    except prefs.NotLinked:
        await _show(chat)
        return
    chat.toast = chat.t("rm.saved")
    _screen(chat, o, chat.t(f"rm.saved.{cb.to}", kind=chat.t(f"rm.kind.{cb.kind}")))


@router.intent("reminders", ["pengingat", "atur pengingat", "jadwal pengingat", "matikan pengingat"])
async def pengingat_intent(chat: Chat) -> None:
    await _show(chat)


router.menu_item("rm.menu", RmHome(), roles=(Role.ASN, Role.OFFICER, Role.HR), order=46)
router.help("rm.help", (Role.ASN, Role.OFFICER, Role.HR))
