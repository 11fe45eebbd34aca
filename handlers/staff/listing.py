"""The staff list: superadmins, HR, then officers by agency; paged, each person a button to their card."""

from __future__ import annotations

from handlers.kit import Button
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.staff import views
from handlers.staff.callbacks import Card, Home, StaffList
from services.staff import staff

router = Router()
PAGE = 10


def _group(chat: Chat, m: staff.Member) -> str:
    if m.role == "officer":
        return chat.t("sf.list.officers", agency=escape(m.agency_code or "—"), name=escape(m.agency_name or "—"))
    return chat.t(f"sf.list.{m.role}")


@router.callback(StaffList)
async def listing(chat: Chat, cb: StaffList) -> None:
    members = await staff.staff(chat.uow, chat.person, admin_ids=chat.settings.admin_id_list)
    pages = max(1, -(-len(members) // PAGE))
    page = min(max(1, cb.page), pages)
    shown = members[(page - 1) * PAGE: page * PAGE]
    counts: dict[str, int] = {}
    for m in members:
        counts[_group(chat, m)] = counts.get(_group(chat, m), 0) + 1
    lines = [chat.t("sf.list.title", count=len(members), page=page, pages=pages)]
    current = None
    for m in shown:
        if (group := _group(chat, m)) != current:
            current = group
            lines.append(f"\n<b>{group}</b> ({counts[group]})")
        lines.append(views.line(chat, m))
    if not members:
        lines.append(chat.t("sf.list.empty"))
    buttons = [[Button((m.name or str(m.external_id))[:24], Card(m.external_id).pack()) for m in shown[i:i + 2]]
               for i in range(0, len(shown), 2)]
    nav = ([Button("◀️", StaffList(page - 1).pack())] if page > 1 else []) + (
        [Button("▶️", StaffList(page + 1).pack())] if page < pages else [])
    if nav:
        buttons.append(nav)
    buttons.append([Button(chat.t("btn.back"), Home().pack())])
    chat.reply("\n".join(lines), buttons, edit=True)
