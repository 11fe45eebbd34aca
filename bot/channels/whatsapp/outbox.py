"""The WhatsApp outbox sender: a notice goes as its text while the citizen's 24-hour window is
surely open, else as its declared template.

"Surely": a person's last_seen_at is written at most hourly (services.users.SEEN_RESOLUTION), so
their true last message is no earlier than it, and the window is open while less than 24 hours
have passed since it; a margin keeps a slow send inside. Past that a notice goes straight as its
template (Meta often accepts free-form text and reports 131047 later, in a status: too late to
fall back). A 131047 in the response all the same (the clock of the database and Meta's differ)
falls back to the template too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.client import WINDOW_CLOSED
from bot.channels.whatsapp.templates import LANGUAGES, parameters, template_for
from bot.outbox import OutboxSender
from bot.outbox_results import Outcome
from db.repositories.outbox import Claimed
from handlers.channel import DeliveryError, RetryAfter, Transient, Unreachable
from handlers.i18n import pick_locale

WINDOW = timedelta(hours=24)
MARGIN = timedelta(minutes=30)


def window_open(last_seen_at: datetime | None, now: datetime) -> bool:
    return last_seen_at is not None and now - last_seen_at < WINDOW - MARGIN


class WhatsAppOutbox(OutboxSender):
    wa: WhatsAppChannel  # the channel to send templates through (set by `whatsapp_outbox`)

    async def _deliver(self, row: Claimed) -> Outcome:
        if template_for(row.template) is not None and not window_open(row.last_seen_at, self.clock()):
            return await self._template(row)
        outcome = await super()._deliver(row)
        if outcome.status != "failed" or f" {WINDOW_CLOSED}:" not in (outcome.reason or ""):
            return outcome
        return await self._template(row)

    async def _template(self, row: Claimed) -> Outcome:
        tpl = template_for(row.template)
        if tpl is None:  # nothing declared for this notice: it waits for the citizen's next message
            return Outcome(row, "failed", f"window closed and no template for {row.template!r}")
        locale = pick_locale(row.locale, row.language_code, self.default_locale)
        await self._slot()
        try:
            await self.wa.send_template(row.chat_id, tpl.name, LANGUAGES.get(locale, "id"), parameters(tpl, row.params))
        except RetryAfter as e:
            self.pause.hold(e.seconds)
            return Outcome(row, "rate_limited", e.reason, e.seconds)
        except Unreachable as e:
            return Outcome(row, "unreachable", e.reason)
        except Transient as e:
            return Outcome(row, "retry", e.reason)
        except DeliveryError as e:
            return Outcome(row, "failed", f"template {tpl.name}: {e.reason}")
        return Outcome(row, "sent")
