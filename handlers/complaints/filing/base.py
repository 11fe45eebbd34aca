"""What every part of the filing flow shares: its router, the policy, the one "is this button this draft's?"."""

from __future__ import annotations

from handlers.callbacks import StaleButton
from handlers.chat import Chat
from handlers.complaints.filing.draft import FilingDraft, load
from handlers.kit import Button
from handlers.menu import Cancel
from handlers.router import Router
from services.complaints import filing
from services.complaints.rules import Policy, policy_for
from services.errors import DomainError, InvalidInput

router = Router()


def policy(chat: Chat) -> Policy:
    return policy_for(chat.settings)


def of_draft(chat: Chat, token: str) -> FilingDraft:
    """The draft a button belongs to; a button of another draft raises StaleButton.

    Every filing button carries its draft's token and counts only on the step it was shown for
    (its handler's `during`), so a double tap, an old message or a forged token is answered as
    stale, never acted on.
    """
    draft = load(chat)
    if not draft.token or token != draft.token:
        raise StaleButton(chat.incoming.text)
    return draft


def cancel_row(chat: Chat) -> list[Button]:
    return [Button(chat.t("btn.cancel"), Cancel().pack())]


def say_error(chat: Chat, e: DomainError, rows: list[list[Button]] | None = None) -> None:
    """The refusal in words, with the step's buttons; text params are escaped (the HTML reply is ours)."""
    chat.reply(chat.error_text(e), rows or [cancel_row(chat)])


def usable(chat: Chat, text: str) -> str | None:
    """Free text long enough to be the description is kept, so nothing typed is lost."""
    try:
        return filing.clean_description(text, policy(chat))
    except InvalidInput:
        return None


def joined(draft: FilingDraft, text: str) -> str:
    """What was typed, after the words already given (unless the person typed those again)."""
    start, text = draft.description_start, text.strip()
    if not start or not text or text.lower().startswith(start.lower()):
        return text
    return f"{start} {text}"
