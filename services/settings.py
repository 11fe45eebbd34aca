"""Deployment settings, read from the environment or `.env` (prefix SAPA_)."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.quiet_hours import QuietHours

TELEGRAM_API_URL = "https://api.telegram.org"
TELEGRAM_MAX_RATE = 30.0
GRAPH_API_URL = "https://graph.facebook.com/v21.0"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAPA_", env_file=".env", extra="ignore")

    # Every field has a description: docs/reference/settings.md is generated from them (tools/docs.py).
    bot_token: SecretStr | None = Field(
        None, description="BotFather token (secret). Without it `sapa run` explains how to get one.")
    bot_api_url: str = Field(
        TELEGRAM_API_URL, description="Any Bot API server (the emulator, a local `telegram-bot-api`).")
    engine: Literal["aiogram", "ptb"] = Field(
        "aiogram", description="`aiogram` or `ptb` (python-telegram-bot 22).")
    database_url: str = Field(
        "sqlite+aiosqlite:///sapa.db", description="or `postgresql+asyncpg://user@host/db`.")
    admin_ids: str = Field(
        "", description="Comma-separated Telegram user ids that are superadmins from their first message.")
    timezone: str = Field(
        "Asia/Jakarta", description="Deployment time zone: `Asia/Makassar` (WITA) for Banjarbaru.")
    default_locale: Literal["id", "en"] = Field(
        "id", description="`id` or `en`, when neither `/bahasa` nor Telegram's language decides.")
    instance_name: str = Field("Pemerintah Kota Banjarbaru", description="Shown to people.")
    instance_code: str = Field(
        "BJB", pattern=r"^[A-Z]{2,6}$",
        description="2–6 capitals; prefix of tracking numbers (`BJB-2026-000123`).")
    hr_agency: str = Field(
        "BKPSDM", max_length=60,
        description="The HR agency's name as people know it (BKPSDM; BKD or BKPP in some regions): who sends "
                    "a broadcast written by HR staff of no agency (\"📣 Pengumuman BKPSDM Kota Banjarbaru\").")
    webhook_url: str | None = Field(
        None, description="Public https URL Telegram posts updates to (`sapa webhook`).")
    webhook_secret: SecretStr | None = Field(None, description="Secret token checked on every webhook call.")
    webhook_listen: str = Field(
        "127.0.0.1:8443",
        description="host:port the webhook server binds (with `--workers N`, worker i binds port + i).")
    webhook_max_connections: int = Field(
        40, ge=1, le=100,
        description="setWebhook `max_connections`: how many updates Telegram may have in flight to us at once.")
    webhook_reuse_port: bool = Field(
        False, description="Several processes on one port (SO_REUSEPORT); set by `sapa webhook --reuse-port`.")
    send_rate: float = Field(25.0, description="Outbox pushes per second, paced evenly; refused above 30.")
    send_rate_unlimited: bool = Field(
        False, description="Allow a rate above 30 (only for a Bot API server that is not Telegram's: "
                           "the emulator, an own server).")
    send_in_flight: int = Field(
        4, ge=1, le=16, description="Outbox sends in flight at once (bounds duplicates after a crash).")
    polling_concurrency: int = Field(
        16, ge=1, le=256, description="Updates processed at once while polling (bounded; no unbounded queue).")
    event_loop: Literal["auto", "uvloop", "asyncio"] = Field(
        "auto", description="`auto`: uvloop where it is installed (Linux, macOS), else asyncio's own loop; "
                            "`asyncio` keeps the standard loop. uvloop costs less CPU per update (benchmarks).")
    confirm_grace: float = Field(
        30.0, ge=1, le=3600,
        description="Seconds a confirming reply's held copy (a filing receipt) waits in the outbox before it "
                    "is sent in case the reply itself was lost: a crash between commit and reply loses nothing.")
    sandbox_listen: str = Field(
        "127.0.0.1:8080", description="Where `sapa sandbox` serves the emulator and the web chat.")
    ops_listen: str = Field(
        "", description="host:port of `/healthz` and Prometheus `/metrics`, apart from the webhook; empty = off "
                        "(with `--workers N`, worker i on port + i).")
    reports_per_hour: int = Field(5, ge=1, description="Complaints one person may file per hour.")
    import_max_rows: int = Field(
        50_000, ge=1, le=1_000_000,
        description="Data rows one spreadsheet import may have (chat and `sapa import`); a larger file is "
                    "refused before its rows are read. Bounds an import's memory (~1 KB per row) and time.")
    # SP4N-LAPOR! deadlines (Perpres 76/2013), in working days unless said otherwise.
    complaint_response_days: int = Field(
        3, ge=1, le=60, description="Working days to a complaint's first response (SP4N-LAPOR!).")
    complaint_info_days: int = Field(
        5, ge=1, le=60, description="Working days to answer an information request.")
    complaint_resolve_days: int = Field(
        14, ge=1, le=120, description="Working days to resolve other complaints.")
    complaint_reopen_days: int = Field(
        14, ge=1, le=90, description="Calendar days after an answer in which the citizen may reopen it.")
    quiet_hours: str = Field(
        "21:00-06:00", description="Local night in which non-urgent broadcasts and reminders wait for the "
                                   "morning; `off` disables.")
    reminder_hour: int = Field(
        16, ge=0, le=23, description="Local hour of the day-before (H-1) training reminder.")
    reminder_morning_hour: int = Field(
        6, ge=0, le=23,
        description="Local hour of the same-day (H-0) training reminder (or an hour before the start, if "
                    "earlier), of SKP and complaint deadline reminders and of the monthly JP nudge.")
    skp_reminder_days: str = Field(
        "7,1", pattern=r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$",
        description="Days before an SKP deadline that a reminder goes out.")
    skp_mandatory: str = Field(
        "", description="SKP periods BKPSDM made mandatory: `all`, or labels such as `2026,2026-S2`. Their "
                        "reminders cannot be switched off in `/pengingat`.")
    reminder_batch: int = Field(
        100, ge=1, le=5000, description="Outbox rows a reminder job writes per (short) transaction.")
    scheduler_standby: float = Field(
        30.0, ge=0.1, le=600,
        description="Seconds between a stand-by process's attempts to take the scheduler over (and the "
                    "leader's lock checks).")
    log_level: str = Field("INFO", description="Python logging level.")
    bot_username: str | None = Field(
        None, description="Used in survey deep links / QR codes; learnt from `getMe` at start when not set.")
    # Citizens on WhatsApp (the Cloud API): all four of token, number id, app secret and verify
    # token turn the channel on; the deployment's configuration is the one place that names it.
    whatsapp_token: SecretStr | None = Field(
        None, description="WhatsApp Cloud API access token (secret; a system user's permanent token).")
    whatsapp_phone_number_id: str | None = Field(
        None, description="The WhatsApp Business phone number id (digits, from Meta's app dashboard).")
    whatsapp_app_secret: SecretStr | None = Field(
        None, description="The Meta app's secret: checks `X-Hub-Signature-256` on every WhatsApp webhook call.")
    whatsapp_verify_token: SecretStr | None = Field(
        None, description="Your word for Meta's webhook verification (`hub.verify_token`).")
    whatsapp_api_url: str = Field(
        GRAPH_API_URL, description="The Graph API with its version (the WhatsApp emulator's address in the sandbox).")
    whatsapp_number: str | None = Field(
        None, description="The number citizens write to, international digits (6281…): `sapa qr` adds a "
                          "`wa.me` QR code beside Telegram's.")
    whatsapp_send_rate: float = Field(
        80.0, description="WhatsApp messages per second from the number (Meta's default throughput).")

    @field_validator("whatsapp_phone_number_id", "whatsapp_number")
    @classmethod
    def _number_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        value = (value or "").replace(" ", "").removeprefix("+")
        if value and not value.isdigit():
            raise ValueError("must be the phone number id's digits (Meta's app dashboard, WhatsApp > API Setup)"
                             if info.field_name == "whatsapp_phone_number_id"
                             else "must be the number in international digits, e.g. 6281100000000")
        return value or None

    @field_validator("bot_api_url", "webhook_url", "whatsapp_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None if value == "" else value
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError("must be an http(s) URL, e.g. https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; e.g. Asia/Jakarta (WIB) or Asia/Makassar (WITA)") from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        QuietHours.parse(value)
        return value

    @field_validator("admin_ids")
    @classmethod
    def _ids(cls, value: str) -> str:
        for part in filter(None, (p.strip() for p in value.split(","))):
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a Telegram user id (digits, comma-separated)")
        return value

    @field_validator("webhook_listen", "sandbox_listen", "ops_listen")
    @classmethod
    def _listen(cls, value: str, info: ValidationInfo) -> str:
        if value == "" and info.field_name == "ops_listen":
            return value
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 127.0.0.1:8443")
        return value

    @model_validator(mode="after")
    def _rate(self) -> Settings:
        if self.send_rate <= 0:
            raise ValueError("SAPA_SEND_RATE must be above 0")
        if self.send_rate > TELEGRAM_MAX_RATE and not self.send_rate_unlimited:
            raise ValueError(
                f"SAPA_SEND_RATE={self.send_rate:g} is above Telegram's {TELEGRAM_MAX_RATE:g}/s; "
                "set SAPA_SEND_RATE_UNLIMITED=true only for a Bot API server that is not Telegram's"
            )
        return self

    @property
    def admin_id_list(self) -> list[int]:
        return [int(p) for p in (s.strip() for s in self.admin_ids.split(",")) if p]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def quiet(self) -> QuietHours:
        return QuietHours.parse(self.quiet_hours)

    @property
    def token(self) -> str | None:
        return self.bot_token.get_secret_value() if self.bot_token else None

    @property
    def secret(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.whatsapp_token and self.whatsapp_phone_number_id and self.whatsapp_app_secret
                    and self.whatsapp_verify_token)


class SettingsError(Exception):
    """One clear line naming the setting that is wrong."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            loc = "_".join(str(p) for p in err["loc"]).upper()
            name = f"SAPA_{loc}" if loc else "settings"
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{name}: {msg}" if loc else msg)
        raise SettingsError("; ".join(lines)) from None
