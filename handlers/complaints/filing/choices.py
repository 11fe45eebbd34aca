"""Who should handle it (the suggested agencies first) and how private the report is."""

from __future__ import annotations

from dataclasses import replace

from handlers.callbacks import StaleButton
from handlers.chat import Chat
from handlers.complaints import views
from handlers.complaints.callbacks import AllAgencies, PickAgency, PickPrivacy
from handlers.complaints.filing.base import cancel_row, of_draft, router
from handlers.complaints.filing.draft import load
from handlers.complaints.filing.media import keep_media
from handlers.complaints.filing.steps import Filing
from handlers.kit import Button, Kind
from handlers.render import escape
from services.complaints import filing

# --- agency


async def agency_prompt(chat: Chat, text: str | None = None, *, show_all: bool = False) -> None:
    """Agencies whose keywords match `text` (or the description) first; all of them otherwise."""
    draft = load(chat)
    found = [] if show_all else await filing.suggest_agencies(chat.uow, text or draft.description)
    shown = found or await filing.agencies(chat.uow)
    rows = [[Button(a.name, PickAgency(draft.token, a.id).pack())] for a in shown]
    rows.append([Button(chat.t("cx.btn.unsure"), PickAgency(draft.token, 0).pack())])
    if found:
        rows.append([Button(chat.t("cx.btn.all_agencies"), AllAgencies(draft.token).pack())])
    chat.reply(chat.t("cx.ask.agency" if found else "cx.ask.agency_all"), rows + [cancel_row(chat)])


@Filing.agency.asks
async def ask_agency(chat: Chat) -> None:
    await agency_prompt(chat)


@router.callback(PickAgency, during=Filing.agency)
async def on_agency(chat: Chat, cb: PickAgency) -> None:
    draft = of_draft(chat, cb.draft)
    known = {a.id: a.name for a in await filing.agencies(chat.uow)}
    if cb.agency_id and cb.agency_id not in known:
        raise StaleButton(f"agency {cb.agency_id} is not one of the list")
    # Another agency, other possible duplicates: look again before sending.
    chat.save(replace(draft, agency_id=cb.agency_id or None, agency_name=known.get(cb.agency_id),
                      duplicates_ok=False))
    await Filing.advance(chat)


@router.callback(AllAgencies, during=Filing.agency)
async def on_all_agencies(chat: Chat, cb: AllAgencies) -> None:
    of_draft(chat, cb.draft)
    await agency_prompt(chat, show_all=True)


@router.step(Filing.agency)
async def agency_typed(chat: Chat) -> None:
    if keep_media(chat):
        await agency_prompt(chat)
        return
    text = chat.incoming.text.strip() if chat.incoming.kind is Kind.TEXT else ""
    if text:
        chat.reply(chat.t("cx.agency.searched", text=escape(text[:100])))
    await agency_prompt(chat, text or None)


# --- privacy

@Filing.privacy.asks
def ask_privacy(chat: Chat) -> None:
    draft = load(chat)
    rows = [[Button(("✓ " if p == draft.privacy else "") + chat.t(f"cx.btn.privacy.{p}"),
                    PickPrivacy(draft.token, p).pack())]
            for p in views.PRIVACY]
    chat.reply(chat.t("cx.ask.privacy"), rows + [cancel_row(chat)])


@router.callback(PickPrivacy, during=Filing.privacy)
async def on_privacy(chat: Chat, cb: PickPrivacy) -> None:
    draft = of_draft(chat, cb.draft)
    chat.save(replace(draft, privacy=filing.check_privacy(cb.privacy)))
    await Filing.advance(chat)  # the summary


@router.step(Filing.privacy)
async def privacy_typed(chat: Chat) -> None:
    if not keep_media(chat):
        chat.reply(chat.t("cx.hint.buttons"))
    await Filing.privacy.enter(chat)
