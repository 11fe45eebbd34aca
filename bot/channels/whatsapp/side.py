"""The WhatsApp side of a running SAPA: its channel, its App (the same router and database as
Telegram's), its webhook routes and what delivery statuses change."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from bot.channels.whatsapp import CHANNEL
from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.client import UNDELIVERABLE, CloudApi
from bot.channels.whatsapp.intake import Status
from bot.channels.whatsapp.outbox import WhatsAppOutbox
from bot.channels.whatsapp.render import Words
from bot.channels.whatsapp.webhook import add_routes
from bot.core import App
from bot.delivery import Pause
from bot.metrics import Metrics
from db.engine import Database
from db.repositories.choices import ChoiceRepo
from handlers.i18n import pick_locale, t
from handlers.notices import render_notice
from handlers.router import Router
from services.clock import Clock, utc_now
from services.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class WhatsAppSide:
    channel: WhatsAppChannel
    app: App
    verify_token: str
    app_secret: str

    def add_routes(self, web_app: web.Application) -> None:
        add_routes(web_app, verify_token=self.verify_token, app_secret=self.app_secret, handle=self.app.handle,
                   on_statuses=self.on_statuses, commands=frozenset(self.app.router.commands),
                   recall=self.recall)

    async def recall(self, chat_id: int) -> list[str]:
        """The choices a typed number may stand for (costs a read only for a text of digits)."""
        async with self.app.db.uow() as uow:
            return await uow.get(ChoiceRepo).recall(CHANNEL, chat_id)

    async def remember(self, chat_id: int, data: list[str]) -> None:
        async with self.app.db.uow() as uow:
            await uow.get(ChoiceRepo).remember(CHANNEL, chat_id, data, utc_now())
            await uow.commit()

    async def words_for(self, chat_id: int) -> Words:
        """The renderer's words in the language the person chose ("bahasa en"), else the deployment's."""
        async with self.app.db.uow() as uow:
            person = await uow.users.by_external(CHANNEL, chat_id)
        default = self.app.settings.default_locale
        locale = pick_locale(person.locale, person.language_code, default) if person else default
        return words(locale, frozenset(self.app.router.commands))()

    async def on_statuses(self, statuses: list[Status]) -> None:
        """A `failed` status for an undeliverable number marks the person unreachable, as a
        Telegram 403 does (their next message makes them reachable again)."""
        lost = {s.recipient for s in statuses
                if s.status == "failed" and s.error_code == UNDELIVERABLE and s.recipient is not None}
        for s in statuses:
            if s.status == "failed":
                log.warning("whatsapp: message %s to %s failed: %s %s", s.message_id, s.recipient, s.error_code,
                            s.error_title)
        if not lost:
            return
        async with self.app.db.uow() as uow:
            for wa_id in lost:
                person = await uow.users.by_external(CHANNEL, wa_id)
                if person is not None:
                    await uow.users.mark_unreachable(person.id)
            await uow.commit()

    async def close(self) -> None:
        await self.channel.close()


def words(locale: str, commands: frozenset[str]) -> Callable[[], Words]:
    return lambda: Words(t(locale, "wa.list_button"), t(locale, "wa.numbered_hint"), commands)


def whatsapp_outbox(side: WhatsAppSide, settings: Settings) -> WhatsAppOutbox:
    """The sender of WhatsApp citizens' notices, at the number's pace (80/s by default)."""
    sender = WhatsAppOutbox(side.app.db, side.channel, render_notice, rate=settings.whatsapp_send_rate,
                            in_flight=settings.send_in_flight, pause=side.app.pause,
                            default_locale=settings.default_locale, only_channel=CHANNEL)
    sender.wa = side.channel
    return sender


def whatsapp_side(settings: Settings, db: Database, router: Router, *, after_commit: Callable[[], None] | None = None,
                  metrics: Metrics | None = None, clock: Clock = utc_now) -> WhatsAppSide:
    assert settings.whatsapp_enabled and settings.whatsapp_token and settings.whatsapp_phone_number_id
    assert settings.whatsapp_app_secret and settings.whatsapp_verify_token
    api = CloudApi(settings.whatsapp_api_url, settings.whatsapp_token.get_secret_value(),
                   settings.whatsapp_phone_number_id)
    channel = WhatsAppChannel(api, words(settings.default_locale, frozenset(router.commands)))
    # wamids are unique per number: the number id scopes them as a bot id scopes Telegram's.
    app = App(settings, db, router, channel, clock=clock, pause=Pause(), after_commit=after_commit,
              metrics=metrics, bot_id=int(settings.whatsapp_phone_number_id), citizens_only=True)
    side = WhatsAppSide(channel, app, settings.whatsapp_verify_token.get_secret_value(),
                        settings.whatsapp_app_secret.get_secret_value())
    channel.remember = side.remember
    channel.words_for = side.words_for
    return side
