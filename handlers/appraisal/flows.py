"""/skp: a civil servant's own appraisal — the current period and the years behind it."""

from __future__ import annotations

from handlers.account.callbacks import Account
from handlers.appraisal import views
from handlers.appraisal.callbacks import SkpHome, SkpPeriod
from handlers.kit import Button, Kind
from handlers.menu import Menu
from handlers.router import Chat, Router
from services import appraisal
from services.roles import Role

router = Router("appraisal")


def _not_linked(chat: Chat) -> None:
    chat.reply(chat.t("skp.not_linked"), [[Button(chat.t("skp.btn.link"), Account().pack())],
                                          [Button(chat.t("menu.back"), Menu().pack())]],
               edit=chat.incoming.kind is Kind.CALLBACK)


@router.command("skp", "kinerja", "appraisal")
async def skp(chat: Chat) -> None:
    await _overview(chat)


@router.callback(SkpHome)
async def home(chat: Chat, _cb: SkpHome) -> None:
    await _overview(chat)


async def _overview(chat: Chat) -> None:
    try:
        o = await appraisal.overview(chat.uow, chat.person, now=chat.now, tz=chat.settings.tz)
    except appraisal.NotLinked:
        _not_linked(chat)
        return
    text, buttons = views.overview(chat.locale, o, chat.now, chat.settings.tz)
    chat.reply(text, buttons, edit=chat.incoming.kind is Kind.CALLBACK)


@router.callback(SkpPeriod)
async def one_period(chat: Chat, cb: SkpPeriod) -> None:
    try:
        v = await appraisal.period(chat.uow, chat.person, cb.appraisal_id, now=chat.now, tz=chat.settings.tz)
    except appraisal.NotLinked:
        _not_linked(chat)
        return
    chat.reply(views.detail(chat.locale, v, chat.now, chat.settings.tz),
               [[Button(chat.t("skp.btn.back"), SkpHome().pack()), Button(chat.t("menu.back"), Menu().pack())]],
               edit=True)


@router.intent("skp", ["cek nilai skp", "skp saya", "kinerja saya", "nilai kinerja", "predikat kinerja"])
async def skp_intent(chat: Chat) -> None:
    await _overview(chat)


router.menu_item("skp.menu", SkpHome(), roles=(Role.ASN, Role.OFFICER, Role.HR), order=30)
router.help("skp.help", (Role.ASN, Role.OFFICER, Role.HR))
