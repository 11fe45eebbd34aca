"""What HR's open questions about a training (undo an attendance, call it off) share: a typed
reason, and a refusal from the service that ends the question."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.kit import Button, Kind
from handlers.router import Chat
from services.errors import DomainError, Forbidden, InvalidInput
from services.training.attendance import parse_reason


async def typed_reason(chat: Chat, ask_again: Callable[[Chat, str], Awaitable[None]]) -> str | None:
    """HR's reason as typed and cleaned; None after asking again with what was wrong (the step stays)."""
    if chat.incoming.kind is not Kind.TEXT:
        await ask_again(chat, chat.t("tra.text_only"))
        return None
    try:
        return parse_reason(chat.incoming.text)
    except InvalidInput as e:
        await ask_again(chat, chat.error_text(e))
        return None


def question_over(chat: Chat, e: DomainError, back: str) -> None:
    """The service refused (done by someone else meanwhile, called off, started): say why, with a way
    back; the question is over. Not allowed at all is not this: it goes up to the router."""
    if isinstance(e, Forbidden):
        raise e
    chat.clear()
    chat.reply(chat.error_text(e), [[Button(chat.t("btn.back"), back)]], edit=chat.incoming.kind is Kind.CALLBACK)
