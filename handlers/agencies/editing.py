"""The typed steps: a new agency's code and name, a new name, new routing keywords.

A refusal (a bad code, a name too long…) says why and asks again in the same message; the step
stays open until the person types something valid or cancels.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.agencies import views
from handlers.agencies.callbacks import AddAgency, EditKeywords, RenameAgency
from handlers.agencies.steps import AgencyEdit, Keywords, NewAgency, NewAgencyDraft, Rename
from handlers.flow import Steps
from handlers.kit import Kind
from handlers.render import escape
from handlers.router import Chat, Router
from services.agencies import manage
from services.errors import DomainError

router = Router()


def _editing(chat: Chat) -> int | None:
    """The agency a rename or keywords step is about (None while adding one): where cancel goes."""
    return None if NewAgency.step(chat.state) else chat.load(AgencyEdit).agency_id or None


def _typed(chat: Chat) -> str | None:
    """The text of a typing step, or None after asking again (a photo, a sticker…)."""
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("opd.text_only"), views.cancel_row(chat, _editing(chat)))
        return None
    return chat.incoming.text


def _refused(chat: Chat, e: DomainError, again: str) -> None:
    """Why the text was refused and the question again, in one message."""
    chat.reply(chat.error_text(e) + "\n\n" + again, views.cancel_row(chat, _editing(chat)))


# --- adding an agency: code, then name -----------------------------------------------------------

@router.callback(AddAgency)
async def add(chat: Chat, cb: AddAgency) -> None:
    await manage.list_agencies(chat.uow, chat.person)  # the access check before asking anything
    chat.clear()
    await NewAgency.start(chat)


@NewAgency.code.asks
def ask_code(chat: Chat) -> None:
    chat.reply(chat.t("opd.ask_code"), views.cancel_row(chat))


@router.step(NewAgency.code)
async def code_typed(chat: Chat) -> None:
    if (text := _typed(chat)) is None:
        return
    try:
        code = await manage.check_new_code(chat.uow, chat.person, text)
    except DomainError as e:
        _refused(chat, e, chat.t("opd.ask_code"))
        return
    chat.save(NewAgencyDraft(code=code))
    await NewAgency.advance(chat)


@NewAgency.new_name.asks
def ask_new_name(chat: Chat) -> None:
    chat.reply(chat.t("opd.ask_new_name", code=escape(chat.load(NewAgencyDraft).code)), views.cancel_row(chat))


@router.step(NewAgency.new_name)
async def new_name_typed(chat: Chat) -> None:
    if (text := _typed(chat)) is None:
        return
    draft = chat.load(NewAgencyDraft)
    try:
        a = await manage.create(chat.uow, chat.person, draft.code, text)
    except DomainError as e:
        if e.code == "opd.err.code_taken":  # taken meanwhile: start again from the code
            chat.save(replace(draft, code=""))
            await NewAgency.start(chat)
            chat.replies[-1].text = chat.error_text(e) + "\n\n" + chat.replies[-1].text
        else:
            _refused(chat, e, chat.t("opd.ask_new_name", code=escape(draft.code)))
        return
    chat.clear()
    views.card(chat, a, chat.t("opd.created", code=escape(a.code)))


# --- renaming one ----------------------------------------------------------------------------------

async def _open_edit(chat: Chat, agency_id: int, flow: type[Steps]) -> None:
    """Open a one-step edit of an agency. The step's question reads the agency through the
    service, which checks access; a refusal leaves the conversation as it was (the router)."""
    chat.clear()
    chat.save(AgencyEdit(agency_id=agency_id))
    await flow.start(chat)


@router.callback(RenameAgency)
async def rename(chat: Chat, cb: RenameAgency) -> None:
    await _open_edit(chat, cb.agency_id, Rename)


@Rename.name.asks
async def ask_name(chat: Chat) -> None:
    a = await manage.card(chat.uow, chat.person, chat.load(AgencyEdit).agency_id)
    chat.reply(chat.t("opd.ask_name", code=escape(a.code), name=escape(a.name)), views.cancel_row(chat, a.id))


@router.step(Rename.name)
async def name_typed(chat: Chat) -> None:
    if (text := _typed(chat)) is None:
        return
    try:
        a = await manage.rename(chat.uow, chat.person, chat.load(AgencyEdit).agency_id, text)
    except DomainError as e:
        _refused(chat, e, chat.t("opd.ask_name_again"))
        return
    chat.clear()
    views.card(chat, a, chat.t("opd.renamed"))


# --- routing keywords ------------------------------------------------------------------------------

@router.callback(EditKeywords)
async def keywords(chat: Chat, cb: EditKeywords) -> None:
    await _open_edit(chat, cb.agency_id, Keywords)


@Keywords.kw.asks
async def ask_keywords(chat: Chat) -> None:
    a = await manage.card(chat.uow, chat.person, chat.load(AgencyEdit).agency_id)
    chat.reply(chat.t("opd.ask_keywords", code=escape(a.code), keywords=escape(", ".join(a.keywords) or "-")),
               views.cancel_row(chat, a.id))


@router.step(Keywords.kw)
async def keywords_typed(chat: Chat) -> None:
    if (text := _typed(chat)) is None:
        return
    agency_id = chat.load(AgencyEdit).agency_id
    try:
        await manage.set_keywords(chat.uow, chat.person, agency_id, text)
    except DomainError as e:
        _refused(chat, e, chat.t("opd.ask_keywords_again"))
        return
    chat.clear()
    views.card(chat, await manage.card(chat.uow, chat.person, agency_id), chat.t("opd.keywords_done"))
