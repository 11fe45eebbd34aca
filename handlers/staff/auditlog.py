"""The audit log for superadmins: newest first, paged, filtered by person, action and period,
exported as XLSX (the export is audited by the service)."""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, time, timedelta

from handlers.features import bot
from handlers.kit import Attachment, Button, Kind
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.staff import auditwords as words
from handlers.staff import views
from handlers.staff.callbacks import (
    AuditAction,
    AuditExport,
    AuditLog,
    AuditPeriod,
    AuditReset,
    AuditWho,
    Home,
    Span,
)
from handlers.staff.people import person_from
from handlers.staff.steps import FILTER_KEY, AuditFilterData, AuditFlow
from services import xlsx
from services.errors import DomainError, InvalidInput
from services.staff import audit

router = Router()
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _data(chat: Chat) -> AuditFilterData:
    raw = chat.data.get(FILTER_KEY)
    try:
        return AuditFilterData(**raw) if isinstance(raw, dict) else AuditFilterData()
    except TypeError:  # saved by an older shape: start over rather than fail
        return AuditFilterData()


def _keep(chat: Chat, fd: AuditFilterData) -> None:
    chat.data[FILTER_KEY] = {"person": fd.person, "action": fd.action, "since": fd.since, "until": fd.until,
                             "span": fd.span}


def _filter(chat: Chat, fd: AuditFilterData) -> audit.Filter:
    """Dates are the deployment's days: from the first day's midnight to the end of the last."""
    tz = chat.settings.tz
    since = datetime.combine(date.fromisoformat(fd.since), time(), tz) if fd.since else None
    until = datetime.combine(date.fromisoformat(fd.until) + timedelta(days=1), time(), tz) if fd.until else None
    return audit.Filter(fd.person, fd.action, since, until)


def _period_text(chat: Chat, fd: AuditFilterData) -> str:
    if fd.since is None and fd.until is None:
        return chat.t("sf.audit.any")
    return f"{fd.since or '…'} – {fd.until or '…'}"


async def _show(chat: Chat, page: int) -> None:
    fd = _data(chat)
    p = await audit.browse(chat.uow, chat.person, _filter(chat, fd), page)
    head = chat.t("sf.audit.title", total=p.total, page=p.page, pages=p.pages,
                  person=fd.person or chat.t("sf.audit.any"), action=escape(fd.action or chat.t("sf.audit.any")),
                  period=_period_text(chat, fd))
    if p.unknown_person:
        body = chat.t("sf.audit.unknown_person")
    else:
        body = "\n\n".join(views.entry(chat, e) for e in p.entries) or chat.t("sf.audit.empty")
    nav = ([Button("◀️", AuditLog(p.page - 1).pack())] if p.page > 1 else []) + (
        [Button("▶️", AuditLog(p.page + 1).pack())] if p.page < p.pages else [])
    buttons = [nav] if nav else []
    buttons += [
        [Button(chat.t("sf.btn.f_person"), AuditWho().pack()), Button(chat.t("sf.btn.f_action"), AuditAction().pack()),
         Button(chat.t("sf.btn.f_period"), AuditPeriod().pack())],
        [Button(chat.t("sf.btn.export"), AuditExport().pack()), Button(chat.t("sf.btn.reset"), AuditReset().pack())],
        [Button(chat.t("btn.back"), Home().pack())],
    ]
    chat.state = None  # browsing is not a typing step; the filter stays in the chat's data
    chat.reply(f"{head}\n\n{body}", buttons, edit=chat.incoming.kind is Kind.CALLBACK)


@router.callback(AuditLog)
async def log_page(chat: Chat, cb: AuditLog) -> None:
    await _show(chat, cb.page)


@router.callback(AuditReset)
async def reset(chat: Chat, cb: AuditReset) -> None:
    _keep(chat, AuditFilterData())
    await _show(chat, 1)


def _cancel(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("btn.cancel"), AuditLog(1).pack())]]


# --- person -------------------------------------------------------------------------------------

@router.callback(AuditWho)
async def ask_person_button(chat: Chat, cb: AuditWho) -> None:
    await audit.browse(chat.uow, chat.person, audit.Filter())  # the access check before asking
    await AuditFlow.person.enter(chat)


@AuditFlow.person.asks
def ask_person(chat: Chat) -> None:
    chat.reply(chat.t("sf.audit.ask_person"), _cancel(chat))


@router.step(AuditFlow.person)
async def person_given(chat: Chat) -> None:
    external_id = person_from(chat, chat.t("sf.audit.ask_person"), AuditLog(1).pack())
    if external_id is None:
        return
    _keep(chat, _replace(_data(chat), person=external_id))
    await _show(chat, 1)


def _replace(fd: AuditFilterData, **kw: object) -> AuditFilterData:
    values = {**fd.__dict__, **kw}
    return AuditFilterData(**values)


# --- action -------------------------------------------------------------------------------------

@router.callback(AuditAction)
async def action_button(chat: Chat, cb: AuditAction) -> None:
    await audit.browse(chat.uow, chat.person, audit.Filter())
    if cb.family != "type":
        # A family's name is an action prefix: forged data filters like a typed prefix would.
        _keep(chat, _replace(_data(chat), action=audit.clean_prefix(cb.family)))
        await _show(chat, 1)
        return
    await AuditFlow.action.enter(chat)


@AuditFlow.action.asks
def ask_action(chat: Chat) -> None:
    families = [Button(chat.t(f.label or f.name), AuditAction(f.name).pack()) for f in bot().audit.filters]
    rows = [families[i:i + 4] for i in range(0, len(families), 4)]
    chat.reply(chat.t("sf.audit.ask_action"), [*rows, *_cancel(chat)])


@router.step(AuditFlow.action)
async def action_typed(chat: Chat) -> None:
    try:
        if chat.incoming.kind is not Kind.TEXT:
            raise InvalidInput("sf.err.bad_prefix", max=audit.PREFIX_MAX)
        prefix = audit.clean_prefix(chat.incoming.text)
    except DomainError as e:
        chat.reply(chat.error_text(e) + "\n\n" + chat.t("sf.audit.ask_action"), _cancel(chat))
        return
    _keep(chat, _replace(_data(chat), action=prefix))
    await _show(chat, 1)


# --- period -------------------------------------------------------------------------------------

@router.callback(AuditPeriod)
async def period_button(chat: Chat, cb: AuditPeriod) -> None:
    await audit.browse(chat.uow, chat.person, audit.Filter())
    if cb.span is None:
        spans: list[tuple[Span, str]] = [("today", "sf.span.today"), ("7", "sf.span.7"), ("30", "sf.span.30"), ("all", "sf.span.all")]
        chat.reply(chat.t("sf.audit.pick_period"), [
            [Button(chat.t(key), AuditPeriod(s).pack()) for s, key in spans[:2]],
            [Button(chat.t(key), AuditPeriod(s).pack()) for s, key in spans[2:]],
            [Button(chat.t("sf.span.type"), AuditPeriod("type").pack())], *_cancel(chat)], edit=True)
        return
    if cb.span == "type":
        await AuditFlow.period.enter(chat)
        return
    today = chat.now.astimezone(chat.settings.tz).date()
    days = {"today": 1, "7": 7, "30": 30}.get(cb.span)
    since = (today - timedelta(days=days - 1)).isoformat() if days else None
    _keep(chat, _replace(_data(chat), since=since, until=None, span=cb.span))
    await _show(chat, 1)


@AuditFlow.period.asks
def ask_period(chat: Chat) -> None:
    chat.reply(chat.t("sf.audit.ask_period"), _cancel(chat))


def parse_period(text: str) -> tuple[date, date]:
    """'2026-11-01 2026-11-30', '1/11/2026 - 30/11/2026' or one date (that day)."""
    found = list(_DATE.finditer(text))
    rest = _DATE.sub(" ", text).replace("..", " ").replace("–", " ").replace("-", " ").lower()
    if not 1 <= len(found) <= 2 or any(w not in ("s/d", "sd", "sampai", "to", "until") for w in rest.split()):
        raise InvalidInput("sf.err.bad_period")
    days = []
    for m in found:
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
        try:
            days.append(date(int(y), int(mo), int(d)))
        except ValueError:
            raise InvalidInput("sf.err.bad_period") from None
    first, last = days[0], days[-1]
    if last < first:
        raise InvalidInput("sf.err.period_order")
    return first, last


@router.step(AuditFlow.period)
async def period_typed(chat: Chat) -> None:
    try:
        if chat.incoming.kind is not Kind.TEXT:
            raise InvalidInput("sf.err.bad_period")
        first, last = parse_period(chat.incoming.text)
    except DomainError as e:
        chat.reply(chat.error_text(e) + "\n\n" + chat.t("sf.audit.ask_period"), _cancel(chat))
        return
    _keep(chat, _replace(_data(chat), since=first.isoformat(), until=last.isoformat(), span="type"))
    await _show(chat, 1)


# --- export -------------------------------------------------------------------------------------

@router.callback(AuditExport)
async def export(chat: Chat, cb: AuditExport) -> None:
    entries = await audit.export(chat.uow, chat.person, _filter(chat, _data(chat)), now=chat.now)
    loc, tz = chat.locale, chat.settings.tz
    zone = chat.now.astimezone(tz).tzname()
    table: tuple[tuple[str, xlsx.Kind], ...] = (
        ("at", "datetime"), ("actor", "text"), ("actor_id", "int"), ("name", "text"), ("action", "text"),
        ("target", "text"), ("changes", "text"), ("details", "text"))
    columns = [xlsx.Column(chat.t(f"sf.x.{c}", zone=zone), kind) for c, kind in table]
    # The same words as the chat, a line per field: the export is read by people, not parsed.
    rows = [(e.at, words.actor_text(loc, e.actor_label, None), e.actor_user_id, e.actor_name,
             words.action_label(loc, e.action),
             words.target_text(loc, e.target) + (f" · {e.details['telegram_id']}" if "telegram_id" in e.details
                                                 else ""),
             words.joined(words.changes(loc, e.before, e.after, tz)), words.joined(words.details(loc, e, tz)))
            for e in entries]
    content = await asyncio.to_thread(xlsx.workbook, [xlsx.Sheet(chat.t("sf.x.sheet"), columns, rows)],
                                      tz=chat.settings.tz)
    name = f"audit-{chat.settings.instance_code}-{xlsx.today_stamp(chat.now, chat.settings.tz)}.xlsx"
    chat.reply(chat.t("sf.audit.exported", count=len(entries)),
               attachment=Attachment("document", content=content, filename=name))
