"""The WhatsApp outbox sender: a notice goes as its text while the citizen's 24-hour window is
open; when WhatsApp answers 131047 (the window closed), as its declared template instead."""

from __future__ import annotations

from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.client import WINDOW_CLOSED
from bot.channels.whatsapp.templates import LANGUAGES, parameters, template_for
from bot.outbox import OutboxSender
from bot.outbox_results import Outcome
from db.repositories.outbox import Claimed
from handlers.channel import DeliveryError, RetryAfter, Transient, Unreachable
from handlers.i18n import pick_locale


class WhatsAppOutbox(OutboxSender):
    wa: WhatsAppChannel  # the channel to send templates through (set by `whatsapp_outbox`)

    async def _deliver(self, row: Claimed) -> Outcome:
        outcome = await super()._deliver(row)
        if outcome.status != "failed" or f" {WINDOW_CLOSED}:" not in (outcome.reason or ""):
            return outcome
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
