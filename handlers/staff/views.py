"""How staff management reads: a person's line and card, an audit entry, the role notice."""

from __future__ import annotations

from handlers.dates import moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Chat
from handlers.staff import auditwords
from handlers.staff.callbacks import Card, Grant, Home, Revoke
from services.roles import STAFF, Role
from services.staff.audit import Entry
from services.staff.notices import RoleChanged
from services.staff.staff import Member

SHORT = 90  # characters of one line of an entry in the list (the export has it whole)
LINES = 4  # lines of an entry's details in the list


def role_name(loc: str, role: str, agency: str | None = None) -> str:
    name = t(loc, f"role.{role}") if role in set(Role) else escape(role)
    return t(loc, "sf.role_at", role=name, agency=escape(agency)) if agency else name


def who(m: Member) -> str:
    """'Budi (@budi) · 700004' — the name and username are what the person typed: escaped."""
    name = escape(m.name) if m.name else "—"
    user = f" (@{escape(m.username)})" if m.username else ""
    return f"{name}{user} · <code>{m.external_id}</code>"


def line(chat: Chat, m: Member) -> str:
    return f"• {who(m)}"


def card(chat: Chat, m: Member, lead: str | None = None) -> None:
    lines = [chat.t("sf.card", who=who(m), role=role_name(chat.locale, m.role, m.agency_name))]
    if m.user_id is None or not m.has_written:
        lines.append(chat.t("sf.card.not_written"))
    if m.linked:
        lines.append(chat.t("sf.card.linked"))
    if m.configured:
        lines.append(chat.t("sf.card.configured"))
    buttons = [[Button(chat.t(f"sf.btn.grant_{r}"), Grant(m.external_id, r).pack())]
               for r in ("officer", "hr", "superadmin") if r != m.role or r == "officer"]
    if m.role in STAFF and not m.configured:
        buttons.append([Button(chat.t("sf.btn.revoke"), Revoke(m.external_id).pack())])
    buttons.append([Button(chat.t("sf.btn.home"), Home().pack())])
    text = "\n".join(lines)
    chat.reply(f"{lead}\n\n{text}" if lead else text, buttons, edit=True)


def back_row(chat: Chat, m: Member | None = None) -> list[Button]:
    if m is not None:
        return [Button(chat.t("btn.back"), Card(m.external_id).pack())]
    return [Button(chat.t("btn.back"), Home().pack())]


def short(text: str) -> str:
    text = " ".join(text.split()) or "—"
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


def entry(chat: Chat, e: Entry) -> str:
    """One entry in the reader's words: the action's label, what changed, the rest as 'field: value'."""
    loc, tz = chat.locale, chat.settings.tz
    actor = escape(auditwords.actor_text(loc, e.actor_label, e.actor_name[:40] if e.actor_name else None))
    target = escape(short(auditwords.target_text(loc, e.target)))
    if isinstance(tg := e.details.get("telegram_id"), int):
        target += f" · <code>{tg}</code>"  # whom a role change was about, as superadmins know people
    head = chat.t("sf.audit.entry", at=moment(loc, e.at, tz), actor=actor,
                  action=escape(auditwords.action_label(loc, e.action)), target=target)
    body = auditwords.lines(loc, e, tz)
    shown = [f"\n   {escape(short(line))}" for line in body[:LINES]]
    return head + "".join(shown) + ("\n   …" if len(body) > LINES else "")


@renders(RoleChanged)
def role_changed(loc: str, n: RoleChanged) -> Reply:
    key = "sf.notice.staff" if n.role in STAFF else "sf.notice.revoked"
    return Reply(t(loc, key, role=role_name(loc, n.role, n.agency)), [[Button(t(loc, "menu.back"), Menu().pack())]])
