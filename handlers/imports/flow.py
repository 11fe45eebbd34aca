"""A spreadsheet in the chat: HR sends it, sees the dry run, confirms; the work runs after the commit.

The update that brings the file only checks who sends it and what the update says of the file
(its name and size: > 20 MB is refused without downloading) and stages it. Downloading, reading
(off the event loop, as a stream that stops at the row limit), planning and importing happen in
`after_commit` work, in batches of short transactions, so other chats are answered meanwhile. A
document sent inside a flow (a complaint's photo step, a vacancy's documents) never reaches this
handler: the flow's step takes it first.

One message follows each piece of work: it states the row limit, moves as rows are read and
checked, carries a Batal button while the work runs (pressing it marks the staged row; the work
looks between two chunks or batches and stops), and ends as the result: the plan, the import's
counts, what a stopped import had already saved, or why nothing was.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.chat import Chat, Work, Worker
from handlers.features import bot
from handlers.i18n import t
from handlers.imports import views
from handlers.imports.callbacks import ImpButtons, ImpCancel, ImpConfirm, ImpKind, ImpStop
from handlers.kit import Kind, Reply
from handlers.render import escape
from handlers.router import Router
from services.errors import DomainError, InvalidInput
from services.imports import pipeline, staging
from services.imports.kinds import from_caption
from services.roles import ADMINS
from services.users import Person

router = Router("imports")
log = logging.getLogger(__name__)
EDIT_EVERY = 2.0  # seconds between two edits of the progress message


@dataclass
class Job:
    person: Person
    locale: str
    staged: staging.Staged
    message_id: int | None = None  # the progress message (None: the work sends it), edited as the work goes
    shown: dict[str, float] = field(default_factory=dict)  # text → when: edits only when the text changed


@router.kind(Kind.DOCUMENT)
async def on_document(chat: Chat) -> None:
    f = chat.incoming.file
    if f is None:
        return
    caption_kind = from_caption(bot().imports, chat.incoming.text)
    staged = await staging.stage(chat.uow, chat.person, f.file_id, f.name, f.size,
                                 caption_kind.name if caption_kind else None, now=chat.now)
    # The work sends the "reading" message itself: it edits it as it goes, so it needs its id.
    chat.after_commit(_dry_run_work(Job(chat.person, chat.locale, staged)))


@router.callback(ImpKind)
async def on_kind(chat: Chat, cb: ImpKind) -> None:
    staged = await staging.choose_kind(chat.uow, chat.person, cb.staged_id, cb.kind, kinds=bot().imports,
                                       now=chat.now)
    shown = views.reading(chat.locale, staged.id, staged.file_name, None, chat.settings.import_max_rows)
    chat.reply(shown.text, shown.buttons, edit=True)
    chat.after_commit(_dry_run_work(Job(chat.person, chat.locale, staged, chat.incoming.message_id)))


@router.callback(ImpConfirm)
async def on_confirm(chat: Chat, cb: ImpConfirm) -> None:
    staged = await staging.confirm(chat.uow, chat.person, cb.staged_id, now=chat.now)
    shown = views.applying(chat.locale, staged.id, staged.file_name)
    chat.reply(shown.text, shown.buttons, edit=True)
    chat.after_commit(_apply_work(Job(chat.person, chat.locale, staged, chat.incoming.message_id)))


@router.callback(ImpCancel)
async def on_cancel(chat: Chat, cb: ImpCancel) -> None:
    await staging.cancel(chat.uow, chat.person, cb.staged_id, now=chat.now)
    chat.reply(t(chat.locale, "imp.cancelled"), edit=True)


@router.callback(ImpStop)
async def on_stop(chat: Chat, cb: ImpStop) -> None:
    """Batal on a running import: the work sees it at its next chunk or batch and says what it did."""
    staged = await staging.stop(chat.uow, chat.person, cb.staged_id, now=chat.now)
    chat.reply(t(chat.locale, "imp.stopping", name=escape(staged.file_name)), edit=True)


async def _show(w: Worker, job: Job, reply: Reply) -> None:
    """The progress message becomes `reply` (a new message when it cannot be edited)."""
    if job.message_id is not None and await w.send(reply, edit_message_id=job.message_id) is not None:
        return
    job.message_id = await w.send(reply)


def _guarded(job: Job, body: Callable[[Worker], Awaitable[None]]) -> Work:
    """A refusal is told in words; anything else (a download that failed, a bug) too, and logged."""
    async def work(w: Worker) -> None:
        try:
            await body(w)
        except DomainError as e:
            await _fail(w, job, e)
        except Exception:
            log.exception("import %s failed", job.staged.id)
            await _fail(w, job, DomainError("error.internal"))
    return work


def _dry_run_work(job: Job) -> Work:
    async def work(w: Worker) -> None:
        s, max_rows = job.staged, w.settings.import_max_rows
        if job.message_id is None:
            await _show(w, job, views.reading(job.locale, s.id, s.file_name, None, max_rows))
        parsed = await _read(w, job, lambda n: views.reading(job.locale, s.id, s.file_name, n, max_rows))
        if parsed is None:
            return
        if parsed.kind is None:
            async with w.uow() as uow:
                await staging.asking(uow, s.id)
                await uow.commit()
            await _show(w, job, views.ask_kind(job.locale, s.id, s.file_name, bot().imports))
            return
        rows = len(parsed.table.rows)
        report = await pipeline.run(w.db, job.person, parsed.kind, parsed.table, dry_run=True, tz=w.settings.tz,
                                    now=w.now(), progress=_progress(w, job, "imp.planning"), stop=_stop(w, job))
        summary = {"rows": rows, "new": report.created, "updated": report.updated,
                   "unchanged": report.unchanged, "rejected": len(report.errors)}
        async with w.uow() as uow:
            kept = not report.stopped and (report.created or report.updated) and \
                await staging.planned(uow, s.id, parsed.kind.name, parsed.digest, summary)
            if not kept:
                await staging.drop(uow, s.id)  # nothing to confirm, or Batal was pressed
            await uow.commit()
        if report.stopped or (not kept and (report.created or report.updated)):
            await _show(w, job, Reply(t(job.locale, "imp.stopped", name=escape(s.file_name))))
            return
        await _show(w, job, views.plan(job.locale, s.id, parsed.kind, s.file_name, rows, report))
    return _guarded(job, work)


def _apply_work(job: Job) -> Work:
    async def work(w: Worker) -> None:
        s = job.staged
        started = time.monotonic()
        parsed = await _read(w, job, lambda n: views.applying(job.locale, s.id, s.file_name, n))
        if parsed is None:
            return
        if parsed.digest != s.digest or parsed.kind is None:
            raise InvalidInput("import.file_changed")
        report = await pipeline.run(w.db, job.person, parsed.kind, parsed.table, dry_run=False,
                                    tz=w.settings.tz, now=w.now(), file_name=s.file_name,
                                    progress=_progress(w, job, "imp.applying_n"), stop=_stop(w, job))
        async with w.uow() as uow:
            await staging.drop(uow, s.id)
            await uow.commit()
        await _show(w, job, views.done(job.locale, parsed.kind, s.file_name, report, time.monotonic() - started,
                                       len(parsed.table.rows)))
    return _guarded(job, work)


async def _read(w: Worker, job: Job, shown: Callable[[int], Reply]) -> pipeline.Parsed | None:
    """The file's rows, the progress message counting them; None (and "cancelled" said) on Batal."""
    s = job.staged
    try:
        content = await w.fetch(s.file_id)  # no transaction is open here
    except Exception as e:  # the channel's own errors (gone, too big after all, network)
        log.warning("download of import %s failed: %s", s.id, e)
        raise DomainError("import.download_failed") from None

    async def progress(done: int, _total: int) -> None:
        await _edit(w, job, shown(done))

    parsed = await pipeline.read(bot().imports, content, s.file_name, s.kind, max_rows=w.settings.import_max_rows,
                                 progress=progress, stop=_stop(w, job))
    if parsed is None:
        async with w.uow() as uow:
            await staging.drop(uow, s.id)
            await uow.commit()
        await _show(w, job, Reply(t(job.locale, "imp.stopped", name=escape(s.file_name))))
    return parsed


def _stop(w: Worker, job: Job) -> pipeline.Stop:
    async def stopping() -> bool:
        async with w.uow() as uow:
            return await staging.stopping(uow, job.staged.id)
    return stopping


def _progress(w: Worker, job: Job, key: str) -> pipeline.Progress:
    async def report(done: int, total: int) -> None:
        if done < total:  # the last edit is the result itself
            await _edit(w, job, views.progress(job.locale, key, job.staged.id, job.staged.file_name, done, total))
    return report


async def _edit(w: Worker, job: Job, reply: Reply) -> None:
    """At most one edit every EDIT_EVERY seconds, and only of a changed text."""
    now = time.monotonic()
    if job.message_id is None or reply.text in job.shown or now - max(job.shown.values(), default=0) < EDIT_EVERY:
        return
    job.shown = {reply.text: now}
    await w.send(reply, edit_message_id=job.message_id)


async def _fail(w: Worker, job: Job, e: DomainError) -> None:
    async with w.uow() as uow:
        await staging.drop(uow, job.staged.id)
        await uow.commit()
    params = {k: escape(v) if isinstance(v, str) else views.number(v) if isinstance(v, int) else v
              for k, v in e.params.items()}
    await _show(w, job, Reply(t(job.locale, "imp.failed", name=escape(job.staged.file_name),
                                reason=t(job.locale, e.code, **params))))


__all__ = ["router"]

router.restrict(ImpButtons, roles=ADMINS)  # forged import buttons: refused, audited
