"""Writing a vacancy: one declared step per field, typed or picked, then the summary that saves a draft.

Every step works the same way: its question lists the options as buttons (`VaaOpt(step, i)`)
and accepts the same values typed. A refused value says why and asks again in one message; the
flow stays on the step. The summary's edit buttons open one step and come back. Saving goes
through services/vacancies/manage, which checks the role and every field once more.
"""

from __future__ import annotations

from collections.abc import Awaitable

from handlers.flow import Step
from handlers.kit import Button, Kind
from handlers.menu import Cancel
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.vacancies.admin import views
from handlers.vacancies.admin.callbacks import VaaEdit, VaaEditDraft, VaaNew, VaaOpt, VaaSave
from handlers.vacancies.admin.specs import ROW, SPECS
from handlers.vacancies.admin.steps import Create, DraftData
from handlers.vacancies.views import stage_name
from services.errors import DomainError
from services.vacancies import fields, manage
from services.vacancies.rules import default_stages

router = Router("vacancies_admin.create")


def _question(chat: Chat, d: DraftData) -> str:
    """The step's question; the numbered lists HR picks from by typing their numbers."""
    step = chat.state or ""
    key = step.replace("vaa.", "vaa.ask.")
    if step == Create.jabatan_kinds.name:
        listed = "\n".join(f"{i}. {chat.t(f'cs.kind.{k.value}')}" for i, k in enumerate(fields.JABATAN_KINDS, 1))
        return chat.t(key, kinds=listed)
    if step == Create.documents.name:
        listed = "\n".join(f"{i}. {escape(x.label)}" for i, x in enumerate(fields.STANDARD_DOCUMENTS, 1))
        return chat.t(key, items=listed, max=fields.MAX_DOCUMENTS)
    if step == Create.stages.name:
        listed = "\n".join(f"{i}. {stage_name(chat.locale, k, n)}" for i, (k, n) in
                           enumerate(default_stages(d.kind), 1))
        return chat.t(key, stages=listed, max=fields.MAX_STAGES)
    return chat.t(key)


async def _ask(chat: Chat, lead: str = "") -> None:
    d = chat.load(DraftData)
    step = Create.step(chat.state)
    assert step is not None and step.name in SPECS
    found = SPECS[step.name].options(chat, d)
    options = await found if isinstance(found, Awaitable) else found
    position = Create.steps.index(step)
    per_row = ROW.get(step.name, 1)
    buttons = [Button(label[:40], VaaOpt(position, i).pack()) for i, (label, _) in enumerate(options)]
    rows = [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]
    rows.append([Button(chat.t("btn.cancel"), Cancel().pack())])
    head = chat.t("vaa.step", n=position + 1, of=len(Create.steps) - 1)
    text = f"{head}\n{_question(chat, d)}"
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows)


for _step in Create.steps:
    if _step is not Create.confirm:
        _step.asks(_ask)


async def _take(chat: Chat, raw: str) -> None:
    step = Create.step(chat.state)
    assert step is not None
    try:
        d = await SPECS[step.name].apply(chat, chat.load(DraftData), raw)
    except DomainError as e:
        await _ask(chat, lead="⚠️ " + chat.error_text(e))
        return
    chat.save(d)
    await Create.advance(chat)


@router.step(*(s for s in Create.steps if s is not Create.confirm))
async def typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        await _ask(chat, lead="⚠️ " + chat.t("vaa.err.text_only"))
        return
    await _take(chat, chat.incoming.text)


def _question_of(cb: VaaOpt | VaaEdit) -> tuple[Step, ...]:
    """The question a button names by its position: none for the summary or a position past it."""
    return (Create.steps[cb.step],) if 0 <= cb.step < len(Create.steps) - 1 else ()


@router.callback(VaaOpt, during=_question_of, otherwise=views.expired)  # else a button from an earlier question
async def picked(chat: Chat, cb: VaaOpt) -> None:
    manage.check_access(chat.person)
    step = Create.steps[cb.step]
    found = SPECS[step.name].options(chat, chat.load(DraftData))
    options = await found if isinstance(found, Awaitable) else found
    if not 0 <= cb.index < len(options):
        await views.expired(chat)
        return
    await _take(chat, options[cb.index][1])


# --- starting, the summary, saving --------------------------------------------------------------------

@router.callback(VaaNew)
async def new(chat: Chat, cb: VaaNew) -> None:
    await manage.agencies(chat.uow, chat.person)  # the access check before asking anything
    chat.clear()
    chat.save(DraftData())
    await Create.start(chat)


@router.callback(VaaEditDraft)
async def edit_draft(chat: Chat, cb: VaaEditDraft) -> None:
    inp = await manage.input_of(chat.uow, chat.person, cb.vacancy_id, tz=chat.settings.tz)
    agency = next((a.name for a in await manage.agencies(chat.uow, chat.person) if a.id == inp.agency_id), "-")
    chat.clear()
    chat.save(DraftData.of(cb.vacancy_id, agency, inp))
    await Create.confirm.enter(chat)


@Create.confirm.asks
def ask_confirm(chat: Chat) -> None:
    d = chat.load(DraftData)
    text, rows = views.summary(chat, d, [s for s in Create.steps if s is not Create.confirm])
    chat.reply(text, rows)


@router.step(Create.confirm)
async def confirm_typed(chat: Chat) -> None:
    ask_confirm(chat)


@router.callback(VaaEdit, during=Create.confirm, otherwise=views.expired)
async def edit_field(chat: Chat, cb: VaaEdit) -> None:
    manage.check_access(chat.person)
    if not _question_of(cb):
        await views.expired(chat)
        return
    await Create.edit(chat, Create.steps[cb.step])


@router.callback(VaaSave, during=Create.confirm, otherwise=views.expired)
async def save(chat: Chat, cb: VaaSave) -> None:
    manage.check_access(chat.person)
    d = chat.load(DraftData)
    try:
        v = await manage.save_draft(chat.uow, chat.person, d.to_input(), vacancy_id=d.vacancy_id or None,
                                    now=chat.now, tz=chat.settings.tz)
    except DomainError as e:
        if e.code == "error.forbidden" or e.code == "vaa.err.published" or e.code == "vaa.err.not_found":
            raise
        ask_confirm(chat)  # a value no longer holds (a date passed, the code was taken): say which
        chat.replies[-1].text = "⚠️ " + chat.error_text(e) + "\n\n" + chat.replies[-1].text
        return
    chat.clear()
    views.card(chat, v, chat.t("vaa.saved"))
