"""What the import says in the chat: the dry-run plan, progress, the result."""

from __future__ import annotations

from handlers.i18n import t
from handlers.imports.callbacks import ImpCancel, ImpConfirm, ImpKind, ImpStop
from handlers.kit import Button, Reply
from handlers.render import escape
from services.imports.kinds import Kind, Kinds
from services.spreadsheet import ImportReport, Rejection

SHOWN = 10  # rejected rows listed; the rest are counted


def number(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 20.000, as Indonesians write it (English readers follow)


_n = number


def counts(locale: str, r: ImportReport) -> str:
    return t(locale, "imp.counts", new=_n(r.created), updated=_n(r.updated), unchanged=_n(r.unchanged),
             rejected=_n(len(r.errors)))


def rejected(locale: str, r: ImportReport) -> str:
    if not r.errors:
        return ""
    lines = [t(locale, "imp.rejected_head", shown=min(SHOWN, len(r.errors)))]
    for e in r.errors[:SHOWN]:
        where = t(locale, "imp.where_column", line=e.line, column=escape(e.column)) if e.column else \
            t(locale, "imp.where_line", line=e.line)
        lines.append(f"• {where}: {reason(locale, e)}")
    if len(r.errors) > SHOWN:
        lines.append(t(locale, "imp.rejected_more", count=_n(len(r.errors) - SHOWN)))
    return "\n".join(lines)


def reason(locale: str, e: Rejection) -> str:
    """Why a row was refused, in the reader's language; what it quotes from the file is escaped."""
    return t(locale, e.key, **{k: escape(v) if isinstance(v, str) else v for k, v in e.params.items()})


def plan(locale: str, staged_id: int, kind: Kind, name: str, rows: int, r: ImportReport) -> Reply:
    head = t(locale, "imp.plan_head", kind=t(locale, kind.label), name=escape(name), rows=_n(rows))
    parts = [head, counts(locale, r), rejected(locale, r)]
    if r.created or r.updated:
        parts.append(t(locale, "imp.plan_ask"))
        buttons = [[Button(t(locale, "imp.btn_confirm"), ImpConfirm(staged_id).pack()),
                    Button(t(locale, "imp.btn_cancel"), ImpCancel(staged_id).pack())]]
    else:
        parts.append(t(locale, "imp.plan_nothing"))
        buttons = []
    return Reply("\n\n".join(p for p in parts if p), buttons)


def ask_kind(locale: str, staged_id: int, name: str, kinds: Kinds) -> Reply:
    shown = sorted(kinds.values(), key=lambda k: k.order)  # stable: equal orders keep the features' order
    buttons = [[Button(t(locale, k.label), ImpKind(staged_id, k.name).pack())] for k in shown]
    buttons.append([Button(t(locale, "imp.btn_cancel"), ImpCancel(staged_id).pack())])
    return Reply(t(locale, "imp.ask_kind", name=escape(name)), buttons)


def _stop_button(locale: str, staged_id: int) -> list[list[Button]]:
    return [[Button(t(locale, "imp.btn_cancel"), ImpStop(staged_id).pack())]]


def reading(locale: str, staged_id: int, name: str, done: int | None, max_rows: int) -> Reply:
    """Before the first row: the limit; then how many rows were read so far."""
    if done is None:
        text = t(locale, "imp.reading", name=escape(name), max=_n(max_rows))
    else:
        text = t(locale, "imp.reading_n", name=escape(name), done=_n(done), max=_n(max_rows))
    return Reply(text, _stop_button(locale, staged_id))


def applying(locale: str, staged_id: int, name: str, done: int | None = None) -> Reply:
    text = t(locale, "imp.applying", name=escape(name)) if done is None else \
        t(locale, "imp.applying_read", name=escape(name), done=_n(done))
    return Reply(text, _stop_button(locale, staged_id))


def progress(locale: str, key: str, staged_id: int, name: str, done: int, total: int) -> Reply:
    pct = 100 * done // total if total else 100
    return Reply(t(locale, key, name=escape(name), done=_n(done), total=_n(total), pct=pct),
                 _stop_button(locale, staged_id))


def done(locale: str, kind: Kind, name: str, r: ImportReport, seconds: float, rows: int) -> Reply:
    """The import's result; a stopped one says how far it got (those rows are saved, the rest not)."""
    if r.stopped:
        head = t(locale, "imp.stopped_head", kind=t(locale, kind.label), name=escape(name),
                 done=_n(r.rows_done), total=_n(rows))
    else:
        head = t(locale, "imp.done_head", kind=t(locale, kind.label), name=escape(name),
                 seconds=f"{seconds:.0f}")
    return Reply("\n\n".join(p for p in (head, counts(locale, r), rejected(locale, r)) if p))
