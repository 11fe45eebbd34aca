"""How an agency reads in the chat: a list line, its card, the step's way out."""

from __future__ import annotations

from handlers.agencies.callbacks import (
    Activate,
    AgencyList,
    Deactivate,
    EditKeywords,
    OpenAgency,
    RenameAgency,
)
from handlers.kit import Button
from handlers.menu import Cancel
from handlers.render import escape
from handlers.router import Chat
from services.agencies.manage import AgencyView


def cancel_row(chat: Chat, agency_id: int | None = None) -> list[list[Button]]:
    """Back to the agency's card while editing it; else the kit's `Cancel` (leave the step)."""
    data = OpenAgency(agency_id).pack() if agency_id else Cancel().pack()
    return [[Button(chat.t("btn.cancel"), data)]]


def item(chat: Chat, a: AgencyView) -> str:
    key = "opd.item" if a.active else "opd.item_inactive"
    return chat.t(key, code=escape(a.code), name=escape(a.name), keywords=escape(", ".join(a.keywords) or "-"))


def card(chat: Chat, a: AgencyView, lead: str | None = None) -> None:
    text = chat.t(
        "opd.card", code=escape(a.code), name=escape(a.name), short=escape(a.short_name or "-"),
        parent=escape(a.parent_code or "-"), head=a.head_telegram_id or "-",
        keywords=escape(", ".join(a.keywords) or "-"),
        status=chat.t("opd.status.active" if a.active else "opd.status.inactive"), officers=a.officers or 0)
    if a.active and not a.officers:
        text += "\n\n" + chat.t("opd.no_officer", code=escape(a.code))
    toggle = (Button(chat.t("opd.btn.deactivate"), Deactivate(a.id).pack()) if a.active
              else Button(chat.t("opd.btn.activate"), Activate(a.id).pack()))
    chat.reply(f"{lead}\n\n{text}" if lead else text, [
        [Button(chat.t("opd.btn.rename"), RenameAgency(a.id).pack()),
         Button(chat.t("opd.btn.keywords"), EditKeywords(a.id).pack())],
        [toggle],
        [Button(chat.t("opd.btn.list"), AgencyList(1).pack())],
    ])
