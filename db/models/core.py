"""Tables of the runtime: people, conversation state, update de-duplication, outbox, audit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class Agency(Base):
    """An OPD (or BKPSDM itself). Keywords route complaints to it."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    short_name: Mapped[str | None] = mapped_column(String(64))  # "Dinas PUPR" for "Dinas Pekerjaan Umum…"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    head_telegram_id: Mapped[int | None] = mapped_column(BigInteger)  # the kepala's Telegram account


class Employee(Base):
    """An ASN record imported by HR; a Telegram account links to it."""

    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    golongan: Mapped[str | None] = mapped_column(String(8))
    jabatan: Mapped[str | None] = mapped_column(String(200))
    employment: Mapped[str] = mapped_column(String(8))  # PNS | PPPK
    # services.civil_service.JabatanKind; what eligibility rules compare (jabatan is the title).
    jabatan_kind: Mapped[str | None] = mapped_column(String(32))
    # PNS: read from the NIP when empty; PPPK numbers carry no dates, so HR's file must say.
    birth_date: Mapped[date | None] = mapped_column(Date)
    tmt: Mapped[date | None] = mapped_column(Date)  # TMT: start of service, for years of service
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class User(Base):
    """A person as a channel sees them, with their role and conversation state."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    external_id: Mapped[int] = mapped_column(BigInteger)  # Telegram user id (= private chat id)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    language_code: Mapped[str | None] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))  # chosen with /bahasa
    role: Mapped[str] = mapped_column(String(16), default="citizen")
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), unique=True)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str | None] = mapped_column(String(64))
    state_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessedUpdate(Base):
    """An update id seen once; the insert commits with the update's effects.

    Update ids count per bot (a new token, or the sandbox's emulator, starts again low), so the
    key holds the receiving bot's id: another bot on the same database is never taken for a replay.
    """

    __tablename__ = "processed_updates"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, default=0, server_default="0")
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # A channel that names messages with strings (WhatsApp's `wamid.…`) records update_id 0 and
    # the name here; Telegram's numbered updates leave it empty.
    message_key: Mapped[str] = mapped_column(String(128), primary_key=True, default="", server_default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


# Every status an outbox row takes; /statistik names each in words (outbox.<status> in the catalogs).
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "unreachable", "cancelled")


class OutboxMessage(Base):
    """A push to one person, rendered at send time in their language."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "priority", "not_before"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    template: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # OUTBOX_STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requeued: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # once, after 403
    not_before: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A broadcast's copy (db/models/broadcasts): counted and cancelled by it. Priority 0 (a
    # personal notice) is claimed before 1 (a broadcast row), whatever their age.
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id", ondelete="CASCADE"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditLog(Base):
    """Who did what as an admin, officer or HR."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_actor_at", "actor_user_id", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(64))  # "cli", "tg:123"…
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
