"""HR's training form: one question per step, back and cancel on each, a summary to save from.

A new training walks every step; editing a stored one opens a single step from its card and
returns to the summary, which marks what changed. Every typed value goes through
`manage.parse_field` (role, shape, and the fields it must agree with); a refusal says why and
asks again, keeping everything typed so far.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.callbacks import StaleButton
from handlers.flow import EDITING
from handlers.kit import Button, Kind
from handlers.menu import Cancel
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.training.admin import views
from handlers.training.admin.callbacks import (
    Draft,
    TaBack,
    TaEdit,
    TaEditOne,
    TaEmployment,
    TaKind,
    TaKindsDone,
    TaNew,
    TaSave,
    TaSkip,
    TrainingForm,
)
from handlers.training.admin.console import show_card, show_console
from services import civil_service as cs
from services.errors import DomainError
from services.training import manage

router = Router("training.admin.form")
OPTIONAL = set(manage.OPTIONAL)
TYPED = [s for s in TrainingForm.steps if s.attr not in ("jabatan_kinds", "employment", "confirm")]
QUESTIONS = tuple(s for s in TrainingForm.steps if s is not TrainingForm.confirm)  # where back counts


def _field(chat: Chat) -> str:
    """The field the open question asks for: only its asks, its step and its buttons call this."""
    step = TrainingForm.step(chat.state)
    assert step is not None and step is not TrainingForm.confirm, chat.state
    return step.attr


def _nav(chat: Chat, field: str) -> list[list[Button]]:
    rows = []
    if field in OPTIONAL and field not in ("jabatan_kinds", "employment"):
        rows.append([Button(chat.t(f"tra.skip.{field}"), TaSkip(field).pack())])
    rows.append([Button(chat.t("btn.back"), TaBack().pack()), Button(chat.t("btn.cancel"), Cancel().pack())])
    return rows


async def _agencies(chat: Chat) -> dict[int, str]:
    return await manage.agency_codes(chat.uow, chat.person)


async def _ask(chat: Chat, lead: str | None = None) -> None:
    field = _field(chat)
    draft = Draft.load(chat)
    text = chat.t(f"tra.ask.{field}")
    if draft.values.answered(field):
        shown = views.value(chat.locale, field, draft.values.get(field), chat.settings.tz, await _agencies(chat))
        text += "\n" + chat.t("tra.ask.now", value=shown)
    if lead:
        text = f"{lead}\n\n{text}"
    if field == "jabatan_kinds":
        chosen = set(draft.values.jabatan_kinds or ())
        kinds = [Button(("✅ " if k.value in chosen else "") + chat.t(f"cs.kind.{k.value}"), TaKind(k.value).pack())
                 for k in cs.JabatanKind]
        rows = [kinds[i:i + 2] for i in range(0, len(kinds), 2)]
        rows.append([Button(chat.t("tra.btn.kinds_done"), TaKindsDone().pack())])
        chat.reply(text, [*rows, *_nav(chat, field)], edit=chat.incoming.kind is Kind.CALLBACK and lead is None
                   and TaKind.matches(chat.incoming.text))
        return
    if field == "employment":
        chat.reply(text, [[Button("PNS", TaEmployment("PNS").pack()), Button("PPPK", TaEmployment("PPPK").pack()),
                           Button(chat.t("tra.none.employment"), TaEmployment("all").pack())], *_nav(chat, field)])
        return
    chat.reply(text, _nav(chat, field))


for _step in TrainingForm.steps:
    if _step is not TrainingForm.confirm:
        _step.asks(_ask)


async def _take(chat: Chat, field: str, raw: str | list[str] | None) -> None:
    """Check the answer through the service; keep it and go on, or say why and ask again."""
    draft = Draft.load(chat)
    try:
        values = await manage.parse_field(chat.uow, chat.person, field, raw, draft.values, tz=chat.settings.tz,
                                          now=chat.now, training_id=draft.training_id)
    except DomainError as e:
        if e.code == "error.forbidden":
            raise
        await _ask(chat, chat.error_text(e))
        return
    replace(draft, values=values).save(chat)
    await TrainingForm.advance(chat)


@router.step(*TYPED)
async def typed(chat: Chat) -> None:
    field = _field(chat)
    if chat.incoming.kind is not Kind.TEXT:
        await _ask(chat, chat.t("tra.text_only"))
        return
    await _take(chat, field, chat.incoming.text)


@router.step(TrainingForm.jabatan_kinds, TrainingForm.employment)
async def buttons_only(chat: Chat) -> None:
    await _ask(chat, chat.t("tra.use_buttons"))


@router.callback(TaSkip, during=lambda cb: getattr(TrainingForm, cb.field))  # only on the question it skips
async def skip(chat: Chat, cb: TaSkip) -> None:
    await _take(chat, cb.field, None)


@router.callback(TaKind, during=TrainingForm.jabatan_kinds)
async def toggle_kind(chat: Chat, cb: TaKind) -> None:
    if cb.kind not in {k.value for k in cs.JabatanKind}:
        raise StaleButton(chat.incoming.text)  # data no button of ours carried
    draft = Draft.load(chat)
    chosen = draft.values.jabatan_kinds or ()
    chosen = tuple(k for k in chosen if k != cb.kind) if cb.kind in chosen else (*chosen, cb.kind)
    replace(draft, values=replace(draft.values, jabatan_kinds=chosen)).save(chat)
    await _ask(chat)


@router.callback(TaKindsDone, during=TrainingForm.jabatan_kinds)
async def kinds_done(chat: Chat, cb: TaKindsDone) -> None:
    await _take(chat, "jabatan_kinds", list(Draft.load(chat).values.jabatan_kinds or ()))


@router.callback(TaEmployment, during=TrainingForm.employment)
async def employment(chat: Chat, cb: TaEmployment) -> None:
    await _take(chat, "employment", None if cb.value == "all" else cb.value)


@router.callback(TaBack, during=QUESTIONS)
async def back(chat: Chat, cb: TaBack) -> None:
    """The step before (its answer kept and shown), or the summary when the step was an edit."""
    field = _field(chat)
    if TrainingForm.editing(chat):
        chat.data.pop(EDITING, None)
        await TrainingForm.confirm.enter(chat)
        return
    steps = [s for s in TrainingForm.steps if s.skip is None or not s.skip(chat)]
    i = next(i for i, s in enumerate(steps) if s.attr == field)
    if i == 0:
        chat.clear()
        await show_console(chat)
        return
    await steps[i - 1].enter(chat)


# --- starting: a new training, or one field of a stored one -----------------------------------

@router.callback(TaNew)
async def new(chat: Chat, cb: TaNew) -> None:
    manage.require_hr(chat.person)
    chat.clear()
    Draft().save(chat)
    await TrainingForm.start(chat)


def _changeable(chat: Chat, field: str, stored: bool) -> None:
    """A stored training's code never changes: no button of ours asks to (an old or forged one)."""
    if field == "code" and stored:
        raise StaleButton(chat.incoming.text)


@router.callback(TaEditOne)
async def edit_one(chat: Chat, cb: TaEditOne) -> None:
    _changeable(chat, cb.field, stored=True)
    stored = await manage.values(chat.uow, chat.person, cb.training_id)
    chat.clear()
    Draft(training_id=cb.training_id, values=stored, original=stored).save(chat)
    step = TrainingForm.step(f"{TrainingForm.prefix}.{cb.field}")
    assert step is not None
    await TrainingForm.edit(chat, step)


# --- the summary ----------------------------------------------------------------------------

@TrainingForm.confirm.asks
async def show_summary(chat: Chat, lead: str | None = None) -> None:
    draft = Draft.load(chat)
    r = views.summary(chat.locale, draft.values, draft.original, chat.settings.tz, await _agencies(chat),
                      bool(draft.training_id))
    chat.reply(f"{lead}\n\n{r.text}" if lead else r.text, r.buttons)


@router.step(TrainingForm.confirm)
async def at_summary(chat: Chat) -> None:
    await show_summary(chat, chat.t("tra.use_buttons"))


@router.callback(TaEdit, during=TrainingForm.confirm)
async def edit(chat: Chat, cb: TaEdit) -> None:
    _changeable(chat, cb.field, stored=bool(Draft.load(chat).training_id))
    step = TrainingForm.step(f"{TrainingForm.prefix}.{cb.field}")
    assert step is not None
    await TrainingForm.edit(chat, step)


@router.callback(TaSave, during=TrainingForm.confirm)
async def save(chat: Chat, cb: TaSave) -> None:
    draft = Draft.load(chat)
    values = draft.values
    try:
        if draft.training_id:
            done = await manage.update(chat.uow, chat.person, draft.training_id, values, chat.now,
                                       tz=chat.settings.tz.key)
        else:
            view = await manage.create(chat.uow, chat.person, values, chat.now)
    except DomainError as e:
        if e.code == "error.forbidden":
            raise
        await show_summary(chat, chat.error_text(e))  # nothing saved; the draft stays to be corrected
        return
    chat.clear()
    if draft.training_id:
        key = "tra.done.unchanged" if not done.changed else "tra.done.updated"
        lead = chat.t(key, notified=done.notified, promoted=done.promoted)
        await show_card(chat, done.view, lead)
    else:
        await show_card(chat, view, chat.t("tra.done.created", code=escape(view.code)))

