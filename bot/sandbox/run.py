"""`sapa sandbox`: the Bot API emulator, SAPA pointed at it, and a web chat on the same port."""

from __future__ import annotations

import asyncio
import logging
from datetime import tzinfo
from pathlib import Path

from aiohttp import web
from pydantic import SecretStr

from bot.database import open_database
from bot.runtime import serve
from bot.sandbox.emulator import Emulator
from db.migrate import migrate
from services.broadcasts import demo as broadcasts_demo
from services.clock import utc_now
from services.demo import PERSONAS, is_empty, seed_demo
from services.settings import Settings

log = logging.getLogger(__name__)
PAGE = Path(__file__).parent / "static" / "index.html"
FAVICON = Path(__file__).parent / "static" / "favicon.svg"
SANDBOX_TOKEN = "123456:SANDBOX-local-token"
DEMO_TIMEZONE = "Asia/Makassar"  # WITA
LABELS = {
    "citizen": "Warga / citizen",
    "asn": "ASN Dinas Kesehatan / civil servant",
    "hr": "Admin BKPSDM / HR",
    "officer": "Petugas Dinas PUPR / agency officer",
}


# What to try as each persona (the web page shows it under the chat's title).
HINTS = {
    "citizen": "Coba / try: /lapor (atau kirim foto), /aduanku, /status NOMOR, /survei, /hapusdata. "
               "Kode aktivasi Nur Aisyah (ASN PPPK) ada di log start-up: /tautkan, NIP 199512202023212004, "
               "lalu ketik kodenya.",
    "asn": "Coba / try: /tautkan (NIP 199001052015032002, lalu bagikan kontak), lalu /skp, /pelatihan, "
           "/pelatihanku, /lowongan, /lamaranku, /langganan.",
    "hr": "Coba / try: /laporanmasuk, /opd, /ikm, /statistik, /umumkan (40 ASN dan 6 warga demo menerimanya); "
          "/tautkan (NIP 198503122010011001) lalu /pelatihan.",
    "officer": "Coba / try: /laporanmasuk setelah warga melapor ke Dinas PUPR: buka, jawab, kirim.",
}


def add_web_chat(app: web.Application) -> None:
    async def page(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE)

    async def personas(_request: web.Request) -> web.Response:
        return web.json_response([
            {"key": p.key, "telegram_id": p.telegram_id, "first_name": p.first_name, "phone": p.phone,
             "label": LABELS[p.key], "hint": HINTS[p.key]} for p in PERSONAS])

    async def favicon(_request: web.Request) -> web.Response:
        # Browsers ask for /favicon.ico whatever the page links; an SVG body is fine for them.
        return web.Response(body=FAVICON.read_bytes(), content_type="image/svg+xml",
                            headers={"Cache-Control": "max-age=86400"})

    app.router.add_get("/", page)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/favicon.svg", favicon)
    app.router.add_get("/sandbox/personas", personas)


async def seed_if_empty(database_url: str) -> bool:
    await migrate(database_url)
    db = open_database(database_url)
    try:
        async with db.uow() as uow:
            if not await is_empty(uow):
                return False
            await seed_demo(uow, utc_now())
            await broadcasts_demo.seed(uow, utc_now())  # an audience for HR's /umumkan
            await uow.commit()
            return True
    finally:
        await db.dispose()


DEMO_CODE_NIP = "199512202023212004"  # Nur Aisyah (PPPK): no persona shares her phone, so she needs a code


async def print_demo_code(database_url: str, tz: tzinfo) -> None:
    """A fresh activation code for the second demo civil servant, at every start (codes expire)."""
    from services.account.codes import issue_code

    db = open_database(database_url)
    try:
        async with db.uow() as uow:
            if await uow.employees.by_nip(DEMO_CODE_NIP) is None:
                return  # not the demo government
            issued = await issue_code(uow, "sandbox", DEMO_CODE_NIP, utc_now())
            await uow.commit()
    finally:
        await db.dispose()
    until = issued.expires_at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
    print(f"SAPA sandbox: activation code for {issued.name} (PPPK): {issued.code}, valid until {until}. "
          f"As the citizen persona: /tautkan, NIP {DEMO_CODE_NIP}, share contact (it will not match), "
          "then type the code.", flush=True)


async def run_sandbox(settings: Settings, *, listen: str, stop: asyncio.Event | None = None) -> None:
    host, _, port = listen.rpartition(":")
    emulator = Emulator(rate_limit=30.0, retry_after=1)
    add_web_chat(emulator.app)
    await emulator.start(host, int(port))
    for i, telegram_id in enumerate(broadcasts_demo.demo_telegram_ids()):  # they "opened the bot" once
        if i % 20 != 7:  # … but two of them blocked it since: /umumkan's report shows them
            emulator.store.touch_user(telegram_id, f"Demo {i + 1}")
    try:
        if await seed_if_empty(settings.database_url):
            log.info("seeded demo data for %s", settings.instance_name)
        demo: dict[str, object] = {"bot_token": SecretStr(SANDBOX_TOKEN), "bot_api_url": emulator.url,
                                   "engine": "aiogram"}
        if "timezone" not in settings.model_fields_set:
            demo["timezone"] = DEMO_TIMEZONE  # the demo government is Kota Banjarbaru
        bot_settings = settings.model_copy(update=demo)
        print(f"SAPA sandbox: open {emulator.url}/ in a browser (Ctrl+C to stop)", flush=True)
        await print_demo_code(settings.database_url, bot_settings.tz)
        await serve(bot_settings, mode="polling", engine_name="aiogram", stop=stop)
    finally:
        await emulator.stop()
