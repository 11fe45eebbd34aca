"""After "Kirim": a held broadcast sent now or moved, a stopped or finished one started again.

The services refuse a button whose moment is over (the broadcast went out meanwhile, or is
still running): that press is answered as any stale button is. Someone without the role is
refused by the gate and by the services.
"""

from __future__ import annotations

from collections.abc import Awaitable

from handlers.broadcasts import views
from handlers.broadcasts.callbacks import Again, BcDraft, Later, Rush, Scheduling
from handlers.broadcasts.flows import show_draft
from handlers.callbacks import StaleButton
from handlers.router import Chat, Router
from services.broadcasts import followup
from services.broadcasts.manage import Draft
from services.errors import InvalidInput

router = Router("broadcasts.followup")

STALE = ("bc.err.not_waiting", "bc.err.not_over")


async def _or_stale(chat: Chat, call: Awaitable[Draft]) -> Draft:
    """The service's answer; its refusal of a moment that is over is a stale button (other
    refusals, such as a typed time in the past, are said as they are)."""
    try:
        return await call
    except InvalidInput as e:
        if e.code not in STALE:
            raise
        raise StaleButton(chat.incoming.text) from None


@router.callback(Rush)
async def rush(chat: Chat, cb: Rush) -> None:
    d = await _or_stale(chat, followup.send_now(chat.uow, chat.person, cb.broadcast_id, now=chat.now,
                                                progress_message_id=chat.incoming.message_id))
    chat.clear()
    r = views.queued(chat.locale, d, chat.settings.tz, chat.now)
    chat.reply(r.text, r.buttons, edit=True)  # from here the progress editor keeps it up to date


@router.callback(Later)
async def later(chat: Chat, cb: Later) -> None:
    d = await _or_stale(chat, followup.check_waiting(chat.uow, chat.person, cb.broadcast_id, now=chat.now))
    chat.clear()
    chat.save(BcDraft(d.id, waiting=True))
    await Scheduling.time.enter(chat)


@router.callback(Again)
async def again(chat: Chat, cb: Again) -> None:
    d = await _or_stale(chat, followup.again(chat.uow, chat.person, cb.broadcast_id, now=chat.now))
    chat.clear()
    show_draft(chat, d, chat.t("bc.again", id=cb.broadcast_id))
