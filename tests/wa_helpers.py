"""A WhatsApp citizen's world for tests: the Cloud API emulator, SAPA's `/wa/hook` on a real
aiohttp server, and the WhatsApp side of the App on the test database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web
from pydantic import SecretStr

from bot.channels.whatsapp.side import WhatsAppSide, whatsapp_side
from bot.core import App
from bot.sandbox.wa_emulator import Citizens, WaEmulator
from services.clock import Clock
from services.settings import Settings

TOKEN, PHONE_ID, SECRET, VERIFY = "EAAG-test-token", "106540352242922", "app-secret-xyz", "verify-me"
NUMBER = re.compile(r"BJB-\d{4}-\d{6}")


@dataclass
class WaWorld:
    emu: WaEmulator
    people: Citizens
    side: WhatsAppSide
    hook_url: str


@asynccontextmanager
async def wa_world(app: App, settings: Settings, clock: Clock,
                   templates: dict[tuple[str, str], int] | None = None,
                   late_window_errors: bool = False) -> AsyncIterator[WaWorld]:
    emu = WaEmulator(token=TOKEN, phone_number_id=PHONE_ID, app_secret=SECRET, templates=templates,
                     late_window_errors=late_window_errors)
    api_url = await emu.start()
    wa_settings = settings.model_copy(update={
        "whatsapp_token": SecretStr(TOKEN), "whatsapp_phone_number_id": PHONE_ID,
        "whatsapp_app_secret": SecretStr(SECRET), "whatsapp_verify_token": SecretStr(VERIFY),
        "whatsapp_api_url": api_url})
    side = whatsapp_side(wa_settings, app.db, app.router, clock=clock)
    web_app = web.Application()
    side.add_routes(web_app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    emu.hook_url = f"http://127.0.0.1:{port}/wa/hook"
    try:
        yield WaWorld(emu, Citizens(emu), side, emu.hook_url)
    finally:
        await side.app.settle()
        await side.close()
        await runner.cleanup()
        await emu.stop()
