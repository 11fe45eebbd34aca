"""HR and superadmin tools available from the foundation: statistics."""

from __future__ import annotations

from handlers.admin.callbacks import Stats
from handlers.kit import Button
from handlers.router import Chat, Router
from services.admin import stats as admin_stats
from services.roles import ADMINS

router = Router()


@router.command("statistik", "stats")
async def stats(chat: Chat) -> None:
    s = await admin_stats.stats(chat.uow, chat.person)
    roles = "\n".join(f"• {chat.t(f'role.{r}')}: {n}" for r, n in sorted(s.users_by_role.items())) or "-"
    outbox = "\n".join(f"• {chat.t(f'outbox.{st}')}: {n}" for st, n in sorted(s.outbox_by_status.items())) or "-"
    # "menu" is the common feature's button; its plain data is the encoding it always had.
    chat.reply(chat.t("stats.text", roles=roles, outbox=outbox, unreachable=s.unreachable),
               [[Button(chat.t("menu.back"), "menu")]], edit=True)


@router.callback(Stats)
async def stats_button(chat: Chat, cb: Stats) -> None:
    await stats(chat)


router.menu_item("menu.btn.stats", Stats(), roles=ADMINS, order=80)
router.restrict("stats", "/statistik", "/stats", roles=ADMINS)
