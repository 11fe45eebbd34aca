"""A spreadsheet in the chat: HR sends it, sees the dry run, confirms; the work runs after the commit.

The update that brings the file only checks who sends it and what the update says of the file
(its name and size: > 20 MB is refused without downloading) and stages it. Downloading, parsing
(off the event loop), planning and importing happen in `after_commit` work, in batches of short
transactions, so other chats are answered meanwhile. A document sent inside a flow (a complaint's
photo step, a vacancy's documents) never reaches this handler: the flow's step takes it first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.chat import Chat, Work, Worker
from handlers.i18n import t
from handlers.imports import views
from handlers.imports.callbacks import ImpCancel, ImpConfirm, ImpKind
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


@dataclass(frozen=True)
class Job:
    person: Person
    locale: str
    staged: staging.Staged
    message_id: int | None = None  # the progress message, edited as the work goes


@router.kind(Kind.DOCUMENT)
async def on_document(chat: Chat) -> None:
    f = chat.incoming.file
    if f is None:
        return
    caption_kind = from_caption(chat.incoming.text)
    staged = await staging.stage(chat.uow, chat.person, f.file_id, f.name, f.size,
                                 caption_kind.name if caption_kind else None, now=chat.now)
    chat.reply(t(chat.locale, "imp.reading", name=escape(staged.file_name)))
    chat.after_commit(_dry_run_work(Job(chat.person, chat.locale, staged)))


@router.callback(ImpKind)
async def on_kind(chat: Chat, cb: ImpKind) -> None:
    staged = await staging.choose_kind(chat.uow, chat.person, cb.staged_id, cb.kind, now=chat.now)
    chat.reply(t(chat.locale, "imp.reading", name=escape(staged.file_name)), edit=True)
    chat.after_commit(_dry_run_work(Job(chat.person, chat.locale, staged)))


@router.callback(ImpConfirm)
async def on_confirm(chat: Chat, cb: ImpConfirm) -> None:
    staged = await staging.confirm(chat.uow, chat.person, cb.staged_id, now=chat.now)
    chat.reply(t(chat.locale, "imp.applying", name=escape(staged.file_name)), edit=True)
    chat.after_commit(_apply_work(Job(chat.person, chat.locale, staged, chat.incoming.message_id)))


@router.callback(ImpCancel)
async def on_cancel(chat: Chat, cb: ImpCancel) -> None:
    await staging.cancel(chat.uow, chat.person, cb.staged_id, now=chat.now)
    chat.reply(t(chat.locale, "imp.cancelled"), edit=True)


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
        s = job.staged
        parsed = await _read(w, s)
        if parsed.kind is None:
            async with w.uow() as uow:
                await staging.asking(uow, s.id)
                await uow.commit()
            await w.send(views.ask_kind(job.locale, s.id, s.file_name))
            return
        rows = len(parsed.table.rows)  # a file of one batch is checked before a progress message would help
        mid = await w.send(views.progress(job.locale, "imp.planning", s.file_name, 0, rows)) \
            if rows > pipeline.BATCH else None
        report = await pipeline.run(w.db, job.person, parsed.kind, parsed.table, dry_run=True,
                                    tz=w.settings.tz, now=w.now(), progress=_progress(w, job, "imp.planning", mid))
        summary = {"rows": len(parsed.table.rows), "new": report.created, "updated": report.updated,
                   "unchanged": report.unchanged, "rejected": len(report.errors)}
        async with w.uow() as uow:
            if report.created or report.updated:
                await staging.planned(uow, s.id, parsed.kind.name, parsed.digest, summary)
            else:
                await staging.drop(uow, s.id)  # nothing to confirm
            await uow.commit()
        await w.send(views.plan(job.locale, s.id, parsed.kind.name, s.file_name, len(parsed.table.rows), report))
    return _guarded(job, work)


def _apply_work(job: Job) -> Work:
    async def work(w: Worker) -> None:
        s = job.staged
        started = time.monotonic()
        parsed = await _read(w, s)
        if parsed.digest != s.digest or parsed.kind is None:
            raise InvalidInput("import.file_changed")
        report = await pipeline.run(w.db, job.person, parsed.kind, parsed.table, dry_run=False,
                                    tz=w.settings.tz, now=w.now(), file_name=s.file_name,
                                    progress=_progress(w, job, "imp.applying_n", job.message_id))
        async with w.uow() as uow:
            await staging.drop(uow, s.id)
            await uow.commit()
        await w.send(views.done(job.locale, parsed.kind.name, s.file_name, report, time.monotonic() - started))
    return _guarded(job, work)


async def _read(w: Worker, s: staging.Staged) -> pipeline.Parsed:
    try:
        content = await w.fetch(s.file_id)  # no transaction is open here
    except Exception as e:  # the channel's own errors (gone, too big after all, network)
        log.warning("download of import %s failed: %s", s.id, e)
        raise DomainError("import.download_failed") from None
    return await pipeline.parse_off_loop(content, s.file_name, s.kind)


def _progress(w: Worker, job: Job, key: str, message_id: int | None) -> pipeline.Progress:
    last = [time.monotonic()]

    async def report(done: int, total: int) -> None:
        now = time.monotonic()
        if message_id is None or (done < total and now - last[0] < EDIT_EVERY):
            return
        last[0] = now
        await w.send(views.progress(job.locale, key, job.staged.file_name, done, total), edit_message_id=message_id)
    return report


async def _fail(w: Worker, job: Job, e: DomainError) -> None:
    async with w.uow() as uow:
        await staging.drop(uow, job.staged.id)
        await uow.commit()
    params = {k: escape(v) if isinstance(v, str) else v for k, v in e.params.items()}
    await w.send(Reply(t(job.locale, "imp.failed", name=escape(job.staged.file_name),
                         reason=t(job.locale, e.code, **params))))


__all__ = ["router"]

router.restrict("imp", roles=ADMINS)  # forged import buttons: refused, audited
