"""`sapa sandbox`: the Bot API emulator, SAPA pointed at it, and a web chat on the same port."""

from __future__ import annotations

import asyncio
import logging
import socket
from datetime import tzinfo
from pathlib import Path

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from bot.channels.whatsapp.templates import known
from bot.database import open_database
from bot.runtime import serve
from bot.sandbox.demo_code import DEMO_CODE_NIP, demo_code
from bot.sandbox.emulator import Emulator
from bot.sandbox.wa_emulator import Citizens, WaEmulator
from bot.sandbox.wa_emulator.control import add_control
from db.migrate import migrate
from handlers.features import bot
from services.broadcasts import demo as broadcasts_demo
from services.clock import utc_now
from services.demo import PERSONAS, SANDBOX_SUPERADMIN, is_empty, seed_demo
from services.settings import Settings
from services.vacancies import demo as vacancies_demo

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
    "superadmin": "Superadmin",
}


# What to try as each persona (the web page shows it under the chat's title).
HINTS = {
    "citizen": "Coba / try: /lapor (atau kirim foto), /aduanku, /status NOMOR, /survei, /hapusdata.",
    "asn": "Coba / try: /tautkan (NIP 199001052015032002, lalu bagikan kontak), lalu /skp, /pelatihan, "
           "/pelatihanku, /lowongan, /lamaranku, /langganan, /pengingat.",
    "hr": "Coba / try: /laporanmasuk, /opd, /ikm, /statistik; /tautkan (NIP 198503122010011001) lalu /pelatihan; "
          "/kelolapelatihan (buat, ubah, tutup, batalkan; kehadiran di SIK-2026-01, unduh peserta); "
          "/kelolaakun 199512202023212004 (kode aktivasi Nur, cabut, lepas tautan); "
          "/kelolaseleksi (draf lowongan, pelamar Budi: dokumen, hasil, pengumuman, XLSX); "
          "kirim berkas CSV/XLSX pegawai (📎) untuk uji coba impor; "
          "/umumkan (40 ASN dan 6 warga demo menerimanya).",
    "officer": "Coba / try: /laporanmasuk setelah warga melapor ke Dinas PUPR: buka, jawab, kirim.",
    "superadmin": "Coba / try: /staf: pilih orang (ketik ID 700001 = Rina), jadikan petugas OPD; daftar staf; "
                  "log audit (filter, ekspor XLSX).",
}


# A citizen on WhatsApp: the page draws this persona as WhatsApp does, through the Cloud API emulator.
WA_PERSONA = {"key": "whatsapp", "channel": "whatsapp", "wa_id": 6281255500001, "first_name": "Wati (WhatsApp)",
              "label": "Warga via WhatsApp / citizen on WhatsApp",
              "hint": "Coba / try: lapor (atau kirim foto), status NOMOR, aduanku, survei, bantuan, batal. "
                      "⏰ menutup jendela 24 jam / closes the 24-hour window: pesan petugas lalu datang sebagai "
                      "template / the officer's next notice arrives as a template."}
SANDBOX_WA = {"whatsapp_token": "EAAG-sandbox-token", "whatsapp_phone_number_id": "100000000000001",
              "whatsapp_app_secret": "sandbox-app-secret", "whatsapp_verify_token": "sandbox-verify"}


def add_web_chat(app: web.Application, whatsapp: bool = False) -> dict[str, str]:
    """The page and its personas; the hints returned may be changed later (the demo code's)."""
    hints = dict(HINTS)

    async def page(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE)

    async def personas(_request: web.Request) -> web.Response:
        return web.json_response([
            {"key": p.key, "telegram_id": p.telegram_id, "first_name": p.first_name, "phone": p.phone,
             "label": LABELS[p.key], "hint": hints[p.key]} for p in PERSONAS] + ([WA_PERSONA] if whatsapp else []))

    async def favicon(_request: web.Request) -> web.Response:
        # Browsers ask for /favicon.ico whatever the page links; an SVG body is fine for them.
        return web.Response(body=FAVICON.read_bytes(), content_type="image/svg+xml",
                            headers={"Cache-Control": "max-age=86400"})

    app.router.add_get("/", page)
    app.router.add_get("/favicon.ico", favicon)
    app.router.add_get("/favicon.svg", favicon)
    app.router.add_get("/sandbox/personas", personas)
    return hints


def add_ops_view(app: web.Application, ops_listen: str) -> None:
    """`/sandbox/ops`: the bot's /healthz, a digest of its /metrics and its /jobs, for the page's status box."""
    async def ops(_request: web.Request) -> web.Response:
        base = f"http://{ops_listen}"
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as client:
                async with client.get(f"{base}/healthz") as r:
                    health = await r.json()
                async with client.get(f"{base}/metrics") as r:
                    metrics = await r.text()
                async with client.get(f"{base}/jobs") as r:
                    jobs = await r.json()
        except (aiohttp.ClientError, TimeoutError, ValueError) as e:
            return web.json_response({"ok": False, "error": type(e).__name__})
        return web.json_response({**health, **digest(metrics), "jobs": jobs})

    app.router.add_get("/sandbox/ops", ops)


def digest(metrics: str) -> dict[str, object]:
    """The few figures a newcomer reads: updates by outcome, sends by code, mean handling time."""
    updates: dict[str, float] = {}
    sends: dict[str, float] = {}
    total = count = 0.0
    for line in metrics.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, _, value = line.rpartition(" ")
        if name.startswith("sapa_updates_total{"):
            outcome = name.split('outcome="', 1)[1].split('"', 1)[0]
            updates[outcome] = updates.get(outcome, 0) + float(value)
        elif name.startswith("sapa_bot_api_sends_total{"):
            sends[name.split('code="', 1)[1].split('"', 1)[0]] = float(value)
        elif name == "sapa_update_seconds_sum":
            total = float(value)
        elif name == "sapa_update_seconds_count":
            count = float(value)
    return {"updates": updates, "sends": sends, "mean_ms": round(total * 1000 / count, 1) if count else None}


def free_local_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def seed_if_empty(database_url: str, store: vacancies_demo.FileStore | None = None) -> bool:
    """The demo government on an empty database (migrated by the caller)."""
    db = open_database(database_url)
    try:
        async with db.uow() as uow:
            if not await is_empty(uow):
                return False
            await seed_demo(uow, utc_now(), bot().demo)
            await vacancies_demo.seed_hr_desk(uow, utc_now(), store)
            await broadcasts_demo.seed(uow, utc_now())  # an audience for HR's /umumkan
            await uow.commit()
            return True
    finally:
        await db.dispose()


async def print_demo_code(database_url: str, tz: tzinfo) -> str | None:
    """Nur Aisyah's activation code (see demo_code.py), printed; the page's hint for it returned."""
    found = await demo_code(database_url, utc_now())
    if found is None:
        return None  # not the demo government
    if found.code is not None and found.expires_at is not None:
        until = found.expires_at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
        print(f"SAPA sandbox: activation code for {found.name} (PPPK): {found.code}, valid until {until}. "
              f"As the citizen persona: /tautkan, NIP {DEMO_CODE_NIP}, share contact (it will not match), "
              "then type the code (the page's hint shows it too).", flush=True)
    return found.hint(tz)


async def last_update_id(database_url: str, bot_id: int) -> int:
    """The highest update id the (migrated) database has handled for the sandbox's bot."""
    db = open_database(database_url)
    try:
        async with db.uow() as uow:
            return await uow.updates.highest("telegram", bot_id)
    finally:
        await db.dispose()


async def run_sandbox(settings: Settings, *, listen: str, stop: asyncio.Event | None = None) -> None:
    host, _, port = listen.rpartition(":")
    await migrate(settings.database_url)  # once, before the update ids are read and the demo seeded
    # The emulator forgets everything when it stops; its update ids go on where the kept
    # database left off, as Telegram's would.
    last = await last_update_id(settings.database_url, int(SANDBOX_TOKEN.split(":", 1)[0]))
    emulator = Emulator(rate_limit=30.0, retry_after=1, first_update_id=last + 1)
    wa = WaEmulator(token=SANDBOX_WA["whatsapp_token"], phone_number_id=SANDBOX_WA["whatsapp_phone_number_id"],
                    app_secret=SANDBOX_WA["whatsapp_app_secret"], templates=known())
    add_control(emulator.app, wa, Citizens(wa))  # the page's WhatsApp persona, on the page's own origin
    hints = add_web_chat(emulator.app, whatsapp=True)
    ops_listen = settings.ops_listen or f"127.0.0.1:{free_local_port()}"
    add_ops_view(emulator.app, ops_listen)
    await emulator.start(host, int(port))
    wa_api = await wa.start("127.0.0.1", 0)
    wa_listen = f"127.0.0.1:{free_local_port()}"  # SAPA's /wa/hook (polling mode: its own small server)
    wa.hook_url = f"http://{wa_listen}/wa/hook"
    for i, telegram_id in enumerate(broadcasts_demo.demo_telegram_ids()):  # they "opened the bot" once
        if i % 20 != 7:  # … but two of them blocked it since: /umumkan's report shows them
            emulator.store.touch_user(telegram_id, f"Demo {i + 1}")
    try:
        def store(name: str, content: bytes, mime: str) -> str:  # demo files the bot can send back
            return emulator.store_file("document", content, file_name=name, mime_type=mime).file_id

        if await seed_if_empty(settings.database_url, store):
            log.info("seeded demo data for %s", settings.instance_name)
        demo: dict[str, object] = {"bot_token": SecretStr(SANDBOX_TOKEN), "bot_api_url": emulator.url,
                                   "engine": "aiogram", "ops_listen": ops_listen, "webhook_listen": wa_listen,
                                   "whatsapp_api_url": wa_api, **{k: SecretStr(v) if "_id" not in k else v
                                                                  for k, v in SANDBOX_WA.items()}}
        if SANDBOX_SUPERADMIN not in settings.admin_id_list:  # the superadmin persona
            demo["admin_ids"] = ",".join(str(i) for i in [*settings.admin_id_list, SANDBOX_SUPERADMIN])
        if "timezone" not in settings.model_fields_set:
            demo["timezone"] = DEMO_TIMEZONE  # the demo government is Kota Banjarbaru
        bot_settings = settings.model_copy(update=demo)
        print(f"SAPA sandbox: open {emulator.url}/ in a browser (Ctrl+C to stop)", flush=True)
        if (code_hint := await print_demo_code(settings.database_url, bot_settings.tz)) is not None:
            hints["citizen"] = f"{code_hint} {HINTS['citizen']}"  # first: a phone shows two lines
        await serve(bot_settings, mode="polling", engine_name="aiogram", stop=stop)
    finally:
        await wa.stop()
        await emulator.stop()
