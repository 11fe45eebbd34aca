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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAPA_", env_file=".env", extra="ignore")

    bot_token: SecretStr | None = None
    bot_api_url: str = TELEGRAM_API_URL
    engine: Literal["aiogram", "ptb"] = "aiogram"
    database_url: str = "sqlite+aiosqlite:///sapa.db"
    admin_ids: str = ""
    timezone: str = "Asia/Jakarta"
    default_locale: Literal["id", "en"] = "id"
    instance_name: str = "Pemerintah Kota Banjarbaru"
    instance_code: str = Field("BJB", pattern=r"^[A-Z]{2,6}$")
    # The HR agency's name as people know it (BKPSDM; BKD or BKPP in some regions): who sends a
    # broadcast written by HR staff who are not officers of an agency.
    hr_agency: str = Field("BKPSDM", max_length=60)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1:8443"
    # How many updates Telegram may have in flight to us at once (setWebhook max_connections).
    webhook_max_connections: int = Field(40, ge=1, le=100)
    webhook_reuse_port: bool = False  # several processes on one port (SO_REUSEPORT); set by --reuse-port
    send_rate: float = 25.0
    send_rate_unlimited: bool = False  # the Bot API server is not Telegram's (emulator, own server)
    send_in_flight: int = Field(4, ge=1, le=16)
    polling_concurrency: int = Field(16, ge=1, le=256)
    # A confirming reply (a filing's receipt) is also queued as a held notice, sent this many
    # seconds later unless the reply itself went out: a crash between commit and reply loses nothing.
    confirm_grace: float = Field(30.0, ge=1, le=3600)
    sandbox_listen: str = "127.0.0.1:8080"
    # /healthz and Prometheus /metrics, apart from the webhook; "" = off. With --workers N,
    # worker i listens on port + i.
    ops_listen: str = ""
    reports_per_hour: int = Field(5, ge=1)
    # Data rows one spreadsheet import may have (chat and CLI). A larger file is refused before its
    # rows are read; the limit bounds the memory and time one import can take (~1 KB per row).
    import_max_rows: int = Field(50_000, ge=1, le=1_000_000)
    # SP4N-LAPOR! deadlines (Perpres 76/2013), in working days unless said otherwise.
    complaint_response_days: int = Field(3, ge=1, le=60)
    complaint_info_days: int = Field(5, ge=1, le=60)
    complaint_resolve_days: int = Field(14, ge=1, le=120)
    complaint_reopen_days: int = Field(14, ge=1, le=90)  # calendar days after an answer
    # Non-urgent broadcasts and reminders wait for the morning (local time; "off" disables).
    quiet_hours: str = "21:00-06:00"
    # Reminders (services/reminders): the local hour of the day-before (H-1) and same-day (H-0)
    # training reminders, SKP reminder offsets in days, SKP periods HR made mandatory ("all" or
    # labels such as "2026,2026-S2": those cannot be switched off in /pengingat).
    reminder_hour: int = Field(16, ge=0, le=23)
    reminder_morning_hour: int = Field(6, ge=0, le=23)
    skp_reminder_days: str = Field("7,1", pattern=r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$")
    skp_mandatory: str = ""
    reminder_batch: int = Field(100, ge=1, le=5000)  # outbox rows per short transaction
    # Seconds between a stand-by scheduler's attempts to lead (and the leader's lock checks).
    scheduler_standby: float = Field(30.0, ge=0.1, le=600)
    log_level: str = "INFO"
    bot_username: str | None = None  # learnt from getMe at start; used in deep links

    @field_validator("bot_api_url", "webhook_url")
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
